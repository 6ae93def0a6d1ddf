using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>Who books, moves or cancels: a person (patient or representative) or an organization's client.</summary>
/// <param name="Id">The person's id or the organization client's id, as the history records it.</param>
/// <param name="Role">"patient", "representative" or "organization".</param>
public sealed record BookingActor(string Id, string Role);

public enum BookingOutcome
{
    Done,
    SlotNotFound,
    SlotTaken,
    SlotInPast,
    AppointmentNotFound,
    NotChangeable,
    AccountNotConfirmed,
    NoOmsPolicy,
    OmsPolicyNotValid,
}

public sealed record BookingResult(BookingOutcome Outcome, Appointment? Appointment = null);

/// <summary>
/// Booking, moving and cancelling, for the patient's endpoints, the organization's and the waitlist. Each method saves
/// every change tracked by the context (so a caller may add its own, e.g. an accepted offer, to the same transaction);
/// on any outcome but <see cref="BookingOutcome.Done"/> it saves nothing and clears the tracker.
/// </summary>
public sealed class AppointmentBooking(AppointmentsDb db, TimeProvider time, ILogger<AppointmentBooking> logger)
{
    private readonly AppointmentsDb _db = db;
    private readonly TimeProvider _time = time;
    private readonly ILogger<AppointmentBooking> _logger = logger;

    /// <param name="offerId">The waitlist offer that holds the slot for this patient, when booking through one.</param>
    public Task<BookingResult> BookAsync(Guid patientId, Guid slotId, BookingActor actor, Guid? offerId, CancellationToken ct) =>
        throw new NotImplementedException();

    /// <param name="patientId">The patient whose appointment it must be; null for the organization (checked by the caller).</param>
    public Task<BookingResult> MoveAsync(Guid appointmentId, Guid? patientId, Guid newSlotId, BookingActor actor, string? reason,
        Guid? offerId, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<BookingResult> CancelAsync(Guid appointmentId, Guid? patientId, BookingActor actor, string? reason, CancellationToken ct) =>
        throw new NotImplementedException();
}
