using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Data;

// Only the outbox and inbox for now: the service's own tables arrive with its features.
public sealed class PrescriptionsDb(DbContextOptions<PrescriptionsDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
