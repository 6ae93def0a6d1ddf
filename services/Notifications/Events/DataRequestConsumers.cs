using System.Globalization;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Confirms to the patient that their request for missing data went out, with the date an answer is due.</summary>
public sealed class DataRequestSubmittedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<DataRequestSubmitted, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<DataRequestSubmitted> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.DataRequest,
            NotificationTexts.DataRequestSubmitted(message), DataRequestLink(message.RequestId), message.RequestId,
            time.GetUtcNow(), ct);
    }

    public static string DataRequestLink(Guid requestId) => $"/api/v1/disputes/data-requests/{requestId}";
}

/// <summary>Tells the patient that their request was taken into work, answered, refused or went unanswered.</summary>
public sealed class DataRequestStatusChangedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<DataRequestStatusChanged, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<DataRequestStatusChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        // A request can reach the same status twice (in work, overdue, in work again); the instant tells them apart.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.DataRequest, message.RequestId.ToString(),
            message.Status, message.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.DataRequest,
            NotificationTexts.DataRequestStatusChanged(message),
            DataRequestSubmittedConsumer.DataRequestLink(message.RequestId), sourceId, time.GetUtcNow(), ct);
    }
}
