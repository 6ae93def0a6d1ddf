using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Reminds the patient that a vaccination of the calendar (or a revaccination) is due.</summary>
public sealed class VaccinationDueConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<VaccinationDue, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<VaccinationDue> context, CancellationToken ct)
    {
        var message = context.Message;
        // The event has no id of its own: the same vaccination due on the same day is one fact.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.VaccinationDue, message.PatientId.ToString(),
            message.Disease, message.DueOn.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.VaccinationDue,
            NotificationTexts.VaccinationDue(message), "/api/v1/immunizations", sourceId, time.GetUtcNow(), ct);
    }
}
