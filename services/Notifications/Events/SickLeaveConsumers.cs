using System.Globalization;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

// SickLeave's events: every change of a certificate and every step of a missing-certificate request reaches the patient.

public static class SickLeaveConsumers
{
    public static IBusRegistrationConfigurator AddSickLeaveConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SickLeaveCertificateChangedConsumer>();
        bus.AddConsumer<SickLeaveRequestSubmittedConsumer>();
        bus.AddConsumer<SickLeaveRequestStatusChangedConsumer>();
        return bus;
    }

    public static string CertificateLink(Guid certificateId) => $"/api/v1/sick-leave/certificates/{certificateId}";

    public static string RequestLink(Guid requestId) => $"/api/v1/sick-leave/requests/{requestId}";
}

/// <summary>One notice per version of a certificate (the same version republished notifies once).</summary>
public sealed class SickLeaveCertificateChangedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<SickLeaveCertificateChanged, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<SickLeaveCertificateChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.SickLeave, message.CertificateId.ToString(),
            message.Version.ToString(CultureInfo.InvariantCulture));
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.SickLeave, NotificationTexts.SickLeaveCertificateChanged(message),
            SickLeaveConsumers.CertificateLink(message.CertificateId), sourceId, time.GetUtcNow(), ct);
    }
}

public sealed class SickLeaveRequestSubmittedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<SickLeaveRequestSubmitted, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<SickLeaveRequestSubmitted> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.SickLeave, NotificationTexts.SickLeaveRequestSubmitted(message),
            SickLeaveConsumers.RequestLink(message.RequestId), message.RequestId, time.GetUtcNow(), ct);
    }
}

public sealed class SickLeaveRequestStatusChangedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<SickLeaveRequestStatusChanged, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<SickLeaveRequestStatusChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        // A request is overdue and then answered: two notices, each once.
        var sourceId = NotificationTexts.SourceIdOf(NotificationCategories.SickLeave, message.RequestId.ToString(), message.Status);
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.SickLeave, NotificationTexts.SickLeaveRequestStatusChanged(message),
            SickLeaveConsumers.RequestLink(message.RequestId), sourceId, time.GetUtcNow(), ct);
    }
}
