using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gosuslugi.Health.ServiceDefaults.Messaging;

/// <summary>
/// A consumer whose effect happens once per message id, however often the broker delivers it. The inbox row, the
/// handler's changes (and any outbox events it adds) commit in one transaction; a redelivered message finds its
/// inbox row and is acknowledged without effect. A handler failure rolls everything back and lets MassTransit retry.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TDb> : IConsumer<TMessage>
    where TMessage : class
    where TDb : DbContext
{
    protected IdempotentConsumer(TDb db) => Db = db;

    protected TDb Db { get; }

    /// <summary>Name under which this consumer records processed messages; stable across deployments.</summary>
    protected virtual string ConsumerName => GetType().FullName ?? GetType().Name;

    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken ct);

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; it cannot be deduplicated.");
        var ct = context.CancellationToken;
        var logger = (ILogger?)Db.GetService<ILoggerFactory>()?.CreateLogger(GetType()) ?? NullLogger.Instance;

        await using var transaction = await Db.Database.BeginTransactionAsync(ct);

        // Claim the message first: a concurrent duplicate blocks on the primary key until this transaction ends,
        // then inserts nothing.
        var claimed = await Db.Database.ExecuteSqlRawAsync(InsertSql(), [messageId, ConsumerName, DateTimeOffset.UtcNow], ct);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(ct);
            logger.LogInformation("Message {MessageId} ({MessageType}) was already processed by {Consumer}; acknowledged without effect",
                messageId, typeof(TMessage).Name, ConsumerName);
            return;
        }

        try
        {
            await HandleAsync(context, ct);
            await Db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            // The transaction rolls back; tracked changes must not leak into a retry that reuses this context.
            Db.ChangeTracker.Clear();
            throw;
        }
    }

    private string InsertSql()
    {
        var entity = Db.Model.FindEntityType(typeof(InboxMessage))
            ?? throw new InvalidOperationException($"{typeof(TDb).Name} has no inbox: call modelBuilder.AddOutboxAndInbox() in OnModelCreating.");
        var table = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
        return $"INSERT INTO {table} (message_id, consumer, processed_at) VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING";
    }
}
