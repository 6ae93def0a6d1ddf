using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Data;

// Only the outbox and inbox for now: the service's own tables arrive with its features.
public sealed class RecordsDb(DbContextOptions<RecordsDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}
