using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>
/// A security notice: an organization the patient has never seen opened their record. The patient checks the access
/// log and may close the record to it.
/// </summary>
public sealed class RecordOpenedByNewOrganizationConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<RecordOpenedByNewOrganization, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<RecordOpenedByNewOrganization> context, CancellationToken ct)
    {
        var message = context.Message;
        // "For the first time" happens once per patient and organization.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.RecordAccess, message.PatientId.ToString(),
            message.OrganizationId.ToString());
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.RecordAccess,
            NotificationTexts.RecordOpenedByNewOrganization(message),
            $"/api/v1/audit/access-log?organizationId={message.OrganizationId}", sourceId, time.GetUtcNow(), ct);
    }
}
