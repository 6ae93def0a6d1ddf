using System.Diagnostics;
using System.Text.Json;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.ServiceDefaults;

public static class OutboxModelExtensions
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the tables outbox_messages and inbox_messages. Call from every service DbContext's OnModelCreating.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.MessageType).HasMaxLength(500);
            e.Property(m => m.Payload).HasColumnType("jsonb");
            e.Property(m => m.LastError).HasMaxLength(2000);
            e.Property(m => m.TraceParent).HasMaxLength(128);
            // The relay scans only what is still to publish.
            e.HasIndex(m => new { m.CreatedAt, m.Id })
                .HasDatabaseName("ix_outbox_messages_unpublished")
                .HasFilter("published_at IS NULL");
        });

        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(300);
        });
        return modelBuilder;
    }

    /// <summary>
    /// Adds <paramref name="message"/> to the outbox of this DbContext: it is stored by the next SaveChanges, in the
    /// same transaction as the state change, and published by the relay afterwards.
    /// </summary>
    public static OutboxMessage AddOutboxEvent<TMessage>(this DbContext db, TMessage message) where TMessage : class
        => db.AddOutboxEvent((object)message);

    /// <inheritdoc cref="AddOutboxEvent{TMessage}(DbContext, TMessage)"/>
    public static OutboxMessage AddOutboxEvent(this DbContext db, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        var now = DateTimeOffset.UtcNow;
        var row = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            MessageType = type.FullName ?? throw new ArgumentException("The message type has no full name.", nameof(message)),
            Payload = JsonSerializer.Serialize(message, type, PayloadJson),
            OccurredAt = message is IIntegrationEvent e ? e.OccurredAt.ToUniversalTime() : now,
            CreatedAt = now,
            TraceParent = Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
