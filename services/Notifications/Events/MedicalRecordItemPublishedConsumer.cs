using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Tells the patient about a new (or corrected) visit, result, document or preventive exam.</summary>
public sealed class MedicalRecordItemPublishedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<MedicalRecordItemPublished, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<MedicalRecordItemPublished> context, CancellationToken ct)
    {
        var message = context.Message;
        // Each version has its own item id: a correction is a new notification, a republished version is not.
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.RecordItem,
            NotificationTexts.RecordItemPublished(message), $"/api/v1/records/items/{message.ItemId}", message.ItemId,
            time.GetUtcNow(), ct);
    }
}
