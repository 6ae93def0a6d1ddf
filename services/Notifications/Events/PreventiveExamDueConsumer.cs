using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Reminds the patient of a planned диспансеризация or профосмотр a week ahead.</summary>
public sealed class PreventiveExamDueConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PreventiveExamDue, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PreventiveExamDue> context, CancellationToken ct)
    {
        var message = context.Message;
        // One reminder per planned version and date: a re-sent event is the same fact, a new plan version is not.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.PreventiveExam, message.ItemId.ToString(),
            message.DueOn.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.PreventiveExam,
            NotificationTexts.PreventiveExamDue(message), $"/api/v1/records/items/{message.ItemId}", sourceId,
            time.GetUtcNow(), ct);
    }
}
