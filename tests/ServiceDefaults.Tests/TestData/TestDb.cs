using Gosuslugi.Health.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.ServiceDefaults.Tests.TestData;

/// <summary>A service-like DbContext: one table of state plus the outbox and inbox.</summary>
public sealed class TestDb(DbContextOptions<TestDb> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Item>(e =>
        {
            e.ToTable("items");
            e.HasKey(i => i.Id);
            e.Property(i => i.Name).HasMaxLength(200);
        });
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class Item
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record ItemCreated(Guid ItemId, string Name, DateTimeOffset OccurredAt) : IIntegrationEvent;

public sealed record CreateItem(string Name);

public sealed record Explode(string Reason);
