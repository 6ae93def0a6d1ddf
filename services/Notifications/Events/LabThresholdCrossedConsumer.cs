using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Tells the patient that a new result crossed a threshold they set for the analyte.</summary>
public sealed class LabThresholdCrossedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<LabThresholdCrossed, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<LabThresholdCrossed> context, CancellationToken ct)
    {
        var message = context.Message;
        // One result may cross thresholds of several analytes: one notification per result and analyte.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.LabThreshold, message.ItemId.ToString(),
            message.AnalyteCode, message.Direction);
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.LabThreshold,
            NotificationTexts.LabThresholdCrossed(message),
            $"/api/v1/records/analytes/{Uri.EscapeDataString(message.AnalyteCode)}/trend", sourceId, time.GetUtcNow(), ct);
    }
}
