using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Care;

// Appointments' events tell a service which organizations have a patient in their care (CareRelationship rows), which is
// what opens the patient's data there to those organizations' doctors (CareRelationships.IsInCareAsync). Records and
// SickLeave keep the same rows from the same events, each in its own database, through these consumers.
//
// Events of one attachment or appointment may arrive out of order (retries, redeliveries after an outage): every row
// remembers the OccurredAt of the last event applied to it (UpdatedAt), and an event older than that changes nothing.
// An end (detachment, cancellation) that overtakes its start creates the row already closed, so the late start
// cannot open it.

public static class CareConsumers
{
    /// <summary>
    /// Registers the four consumers, each on its own queue "{service}-care-&lt;event&gt;" (MassTransit would name a
    /// generic consumer after its type argument).
    /// </summary>
    public static IBusRegistrationConfigurator AddCareConsumers<TDb>(this IBusRegistrationConfigurator bus,
        IHostApplicationBuilder builder) where TDb : DbContext
    {
        var prefix = TelemetryExtensions.ServiceName(builder) + "-care-";
        bus.AddConsumer<PatientAttachedConsumer<TDb>>().Endpoint(e => e.Name = prefix + "patient-attached");
        bus.AddConsumer<PatientDetachedConsumer<TDb>>().Endpoint(e => e.Name = prefix + "patient-detached");
        bus.AddConsumer<AppointmentBookedConsumer<TDb>>().Endpoint(e => e.Name = prefix + "appointment-booked");
        bus.AddConsumer<AppointmentCancelledConsumer<TDb>>().Endpoint(e => e.Name = prefix + "appointment-cancelled");
        return bus;
    }

    /// <summary>
    /// How long after the visit an appointment keeps the patient's data open: the doctor follows up, enters the results that
    /// arrive after the visit (labs take days) and writes the protocol.
    /// </summary>
    public static readonly TimeSpan AfterAppointment = TimeSpan.FromDays(30);

    /// <summary>Start of a calendar day in Moscow, as a UTC instant: attachments begin and end on whole days.</summary>
    public static DateTimeOffset StartOfMoscowDay(DateOnly day) =>
        MoscowTime.ToUtc(day, TimeOnly.MinValue);
}

/// <summary>
/// The patient is attached to a polyclinic from the start of <c>AttachedOn</c> (Moscow) until detached. A patient is
/// attached to one polyclinic at a time: the attachment ends any earlier one that is still open at that moment.
/// </summary>
public sealed class PatientAttachedConsumer<TDb>(TDb db, ILogger<PatientAttachedConsumer<TDb>> logger)
    : IdempotentConsumer<PatientAttached, TDb>(db) where TDb : DbContext
{
    protected override string ConsumerName => "care-patient-attached";

    protected override async Task HandleAsync(ConsumeContext<PatientAttached> context, CancellationToken ct)
    {
        var message = context.Message;
        var from = CareConsumers.StartOfMoscowDay(message.AttachedOn);

        var attachments = await Db.Set<CareRelationship>()
            .Where(c => c.PatientId == message.PatientId && c.Kind == CareRelationship.Attachment)
            .ToListAsync(ct);

        var row = attachments.SingleOrDefault(c => c.SourceId == message.AttachmentId);
        if (row is not null && message.OccurredAt < row.UpdatedAt)
        {
            logger.LogInformation("Attachment {AttachmentId}: an older event arrived after a newer one and is ignored", message.AttachmentId);
            return;
        }

        if (row is null)
        {
            row = new CareRelationship
            {
                SourceId = message.AttachmentId,
                Kind = CareRelationship.Attachment,
                PatientId = message.PatientId,
                OrganizationId = message.OrganizationId,
                ValidFrom = from,
                UpdatedAt = message.OccurredAt.ToUniversalTime(),
            };
            Db.Set<CareRelationship>().Add(row);
        }
        else
        {
            // A resend (e.g. a corrected date) of an attachment that has not ended.
            row.ValidFrom = from;
            row.UpdatedAt = message.OccurredAt.ToUniversalTime();
        }

        foreach (var other in attachments.Where(c => c.SourceId != message.AttachmentId))
        {
            if (other.ValidFrom <= from)
            {
                // The earlier polyclinic's attachment ends where this one begins, unless a newer event already
                // decided about it (e.g. its own detachment arrived).
                if (other.UpdatedAt <= message.OccurredAt && (other.ValidUntil is null || other.ValidUntil > from))
                {
                    other.ValidUntil = from;
                    other.UpdatedAt = message.OccurredAt.ToUniversalTime();
                }
            }
            else if (row.ValidUntil is null || row.ValidUntil > other.ValidFrom)
            {
                // This attachment's event arrives late: the patient has moved on to a polyclinic since.
                row.ValidUntil = other.ValidFrom;
            }
        }

        logger.LogInformation("Patient {PatientId} attached to organization {OrganizationId} from {AttachedOn}",
            message.PatientId, message.OrganizationId, message.AttachedOn);
    }
}

/// <summary>The attachment ends at the start of <c>DetachedOn</c> (Moscow).</summary>
public sealed class PatientDetachedConsumer<TDb>(TDb db, ILogger<PatientDetachedConsumer<TDb>> logger)
    : IdempotentConsumer<PatientDetached, TDb>(db) where TDb : DbContext
{
    protected override string ConsumerName => "care-patient-detached";

    protected override async Task HandleAsync(ConsumeContext<PatientDetached> context, CancellationToken ct)
    {
        var message = context.Message;
        var until = CareConsumers.StartOfMoscowDay(message.DetachedOn);
        var row = await Db.Set<CareRelationship>().SingleOrDefaultAsync(c => c.SourceId == message.AttachmentId, ct);
        if (row is null)
        {
            // The detachment overtook the attachment: keep it closed, so that the late attachment opens nothing.
            Db.Set<CareRelationship>().Add(new CareRelationship
            {
                SourceId = message.AttachmentId,
                Kind = CareRelationship.Attachment,
                PatientId = message.PatientId,
                OrganizationId = message.OrganizationId,
                ValidFrom = until,
                ValidUntil = until,
                UpdatedAt = message.OccurredAt.ToUniversalTime(),
            });
        }
        else if (message.OccurredAt < row.UpdatedAt)
        {
            logger.LogInformation("Attachment {AttachmentId}: an older event arrived after a newer one and is ignored", message.AttachmentId);
            return;
        }
        else
        {
            row.ValidUntil = row.ValidUntil is { } ended && ended < until ? ended : until;
            row.UpdatedAt = message.OccurredAt.ToUniversalTime();
        }

        logger.LogInformation("Patient {PatientId} detached from organization {OrganizationId} on {DetachedOn}",
            message.PatientId, message.OrganizationId, message.DetachedOn);
    }
}

/// <summary>
/// A booked appointment opens the patient's data to the organization from the booking until
/// <see cref="CareConsumers.AfterAppointment"/> after the visit; a moved one (same id, new time) shifts the end.
/// </summary>
public sealed class AppointmentBookedConsumer<TDb>(TDb db, ILogger<AppointmentBookedConsumer<TDb>> logger)
    : IdempotentConsumer<AppointmentBooked, TDb>(db) where TDb : DbContext
{
    protected override string ConsumerName => "care-appointment-booked";

    protected override async Task HandleAsync(ConsumeContext<AppointmentBooked> context, CancellationToken ct)
    {
        var message = context.Message;
        var until = message.StartsAt.ToUniversalTime() + CareConsumers.AfterAppointment;
        var row = await Db.Set<CareRelationship>().SingleOrDefaultAsync(c => c.SourceId == message.AppointmentId, ct);
        if (row is null)
        {
            Db.Set<CareRelationship>().Add(new CareRelationship
            {
                SourceId = message.AppointmentId,
                Kind = CareRelationship.Appointment,
                PatientId = message.PatientId,
                OrganizationId = message.OrganizationId,
                DoctorId = message.DoctorId,
                ValidFrom = message.OccurredAt.ToUniversalTime(),
                ValidUntil = until,
                UpdatedAt = message.OccurredAt.ToUniversalTime(),
            });
        }
        else if (message.OccurredAt < row.UpdatedAt)
        {
            // Also a booking that arrives after its own cancellation: it stays cancelled.
            logger.LogInformation("Appointment {AppointmentId}: an older event arrived after a newer one and is ignored", message.AppointmentId);
            return;
        }
        else
        {
            row.ValidUntil = until;
            row.UpdatedAt = message.OccurredAt.ToUniversalTime();
        }

        logger.LogInformation("Appointment {AppointmentId} opens the patient's data of {PatientId} to organization {OrganizationId} until {Until}",
            message.AppointmentId, message.PatientId, message.OrganizationId, until);
    }
}

/// <summary>A cancelled appointment closes the patient's data to the organization at once.</summary>
public sealed class AppointmentCancelledConsumer<TDb>(TDb db, ILogger<AppointmentCancelledConsumer<TDb>> logger)
    : IdempotentConsumer<AppointmentCancelled, TDb>(db) where TDb : DbContext
{
    protected override string ConsumerName => "care-appointment-cancelled";

    protected override async Task HandleAsync(ConsumeContext<AppointmentCancelled> context, CancellationToken ct)
    {
        var message = context.Message;
        var at = message.OccurredAt.ToUniversalTime();
        var row = await Db.Set<CareRelationship>().SingleOrDefaultAsync(c => c.SourceId == message.AppointmentId, ct);
        if (row is null)
        {
            // The cancellation overtook the booking: keep it closed, so that the late booking opens nothing.
            Db.Set<CareRelationship>().Add(new CareRelationship
            {
                SourceId = message.AppointmentId,
                Kind = CareRelationship.Appointment,
                PatientId = message.PatientId,
                OrganizationId = message.OrganizationId,
                ValidFrom = at,
                ValidUntil = at,
                UpdatedAt = message.OccurredAt.ToUniversalTime(),
            });
        }
        else if (message.OccurredAt < row.UpdatedAt)
        {
            logger.LogInformation("Appointment {AppointmentId}: an older event arrived after a newer one and is ignored", message.AppointmentId);
            return;
        }
        else
        {
            row.ValidUntil = row.ValidUntil is { } ends && ends < at ? ends : at;
            row.UpdatedAt = message.OccurredAt.ToUniversalTime();
        }

        logger.LogInformation("Appointment {AppointmentId} cancelled: the patient's data of {PatientId} is closed to organization {OrganizationId}",
            message.AppointmentId, message.PatientId, message.OrganizationId);
    }
}
