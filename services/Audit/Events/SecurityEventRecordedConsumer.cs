using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Audit.Events;

/// <summary>Chains identity's security events: once per message (inbox) and once per event id (a republished event).</summary>
public sealed class SecurityEventRecordedConsumer(AuditDb db, TimeProvider time, ILogger<SecurityEventRecordedConsumer> logger)
    : IdempotentConsumer<SecurityEventRecorded, AuditDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<SecurityEventRecorded> context, CancellationToken ct)
    {
        var entry = await SecurityEventChain.AppendAsync(Db, context.Message, time.GetUtcNow(), ct);
        if (entry is null)
        {
            logger.LogInformation("Security event {EventId} is already in the chain", context.Message.EventId);
            return;
        }
        logger.LogInformation("Security event {EventId} ({Kind}) chained as entry {Sequence}", entry.EventId, entry.Kind, entry.Sequence);
    }
}
