using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Tells the patient that an organization added a vaccination to their record.</summary>
public sealed class ImmunizationRecordedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<ImmunizationRecorded, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ImmunizationRecorded> context, CancellationToken ct)
    {
        var message = context.Message;
        // Through AddOnceAsync, like every notice: it also plans the SMS/e-mail/push deliveries and tells open live
        // feeds. The same vaccination republished under a new message id notifies once.
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Immunization,
            NotificationTexts.ImmunizationRecorded(message), $"/api/v1/immunizations/{message.ImmunizationId}",
            message.ImmunizationId, time.GetUtcNow(), ct);
    }
}
