using System.Globalization;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

public static class AppointmentConsumers
{
    /// <summary>Booking confirmed, moved, cancelled; waitlist offers; attachment changes.</summary>
    /// <remarks>
    /// Each consumer has its own queue (named after it), apart from the reminders' consumers of the same events.
    /// </remarks>
    public static IBusRegistrationConfigurator AddAppointmentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AppointmentBookedConsumer>();
        bus.AddConsumer<AppointmentCancelledConsumer>();
        bus.AddConsumer<WaitlistSlotOfferedConsumer>();
        bus.AddConsumer<PatientAttachedConsumer>();
        bus.AddConsumer<PatientDetachedConsumer>();
        bus.AddConsumer<AttachmentRequestStatusChangedConsumer>();
        return bus;
    }

    /// <summary>Where the app shows the appointment (with the video link for telemedicine, behind the sign-in).</summary>
    public static string AppointmentLink(Guid appointmentId) => $"/api/v1/appointments/{appointmentId}";

    public const string AttachmentLink = "/api/v1/appointments/attachment";

    public const string OffersLink = "/api/v1/appointments/offers";

    public static string AttachmentRequestLink(Guid requestId) => $"/api/v1/appointments/attachment-requests/{requestId}";

    internal static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Confirms a booking; tells the patient that their appointment was moved (and by whom, and why).</summary>
public sealed class AppointmentBookedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<AppointmentBooked, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AppointmentBooked> context, CancellationToken ct)
    {
        var message = context.Message;
        // The booking is one fact per appointment; each move is another (moved back and forth, the instant tells).
        var sourceId = message.PreviousStartsAt is null
            ? NotificationTexts.SourceIdOf("appointment-booked", message.AppointmentId.ToString())
            : NotificationTexts.SourceIdOf("appointment-moved", message.AppointmentId.ToString(),
                AppointmentConsumers.Ticks(message.StartsAt), AppointmentConsumers.Ticks(message.OccurredAt));
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Appointment,
            NotificationTexts.AppointmentBooked(message), AppointmentConsumers.AppointmentLink(message.AppointmentId),
            sourceId, time.GetUtcNow(), ct);
    }
}

/// <summary>Tells the patient that their appointment was cancelled, by them or by the organization (with its reason).</summary>
public sealed class AppointmentCancelledConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<AppointmentCancelled, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AppointmentCancelled> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Appointment,
            NotificationTexts.AppointmentCancelled(message), AppointmentConsumers.AppointmentLink(message.AppointmentId),
            NotificationTexts.SourceIdOf("appointment-cancelled", message.AppointmentId.ToString()), time.GetUtcNow(), ct);
    }
}

/// <summary>Offers the patient on the waitlist a slot that freed up, held for them until the offer expires.</summary>
public sealed class WaitlistSlotOfferedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<WaitlistSlotOffered, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<WaitlistSlotOffered> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Appointment,
            NotificationTexts.WaitlistSlotOffered(message), AppointmentConsumers.OffersLink,
            NotificationTexts.SourceIdOf("waitlist-offer", message.OfferId.ToString()), time.GetUtcNow(), ct);
    }
}

public sealed class PatientAttachedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PatientAttached, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientAttached> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Attachment,
            NotificationTexts.PatientAttached(message), AppointmentConsumers.AttachmentLink,
            NotificationTexts.SourceIdOf("attached", message.AttachmentId.ToString()), time.GetUtcNow(), ct);
    }
}

public sealed class PatientDetachedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PatientDetached, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PatientDetached> context, CancellationToken ct)
    {
        var message = context.Message;
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Attachment,
            NotificationTexts.PatientDetached(message), AppointmentConsumers.AttachmentLink,
            NotificationTexts.SourceIdOf("detached", message.AttachmentId.ToString()), time.GetUtcNow(), ct);
    }
}

/// <summary>The patient's request to change polyclinic: submitted, approved, refused (with the answer), withdrawn.</summary>
public sealed class AttachmentRequestStatusChangedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<AttachmentRequestStatusChanged, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AttachmentRequestStatusChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        // Each status is reached once per request.
        await Db.AddOnceAsync(message.PatientId, NotificationCategories.Attachment,
            NotificationTexts.AttachmentRequestStatusChanged(message),
            AppointmentConsumers.AttachmentRequestLink(message.RequestId),
            NotificationTexts.SourceIdOf("attachment-request", message.RequestId.ToString(), message.Status),
            time.GetUtcNow(), ct);
    }
}
