using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Contracts.Audit;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>A move or a cancellation, and the appointment as it became when it is done.</summary>
public sealed record ChangedAppointment<TView>(BookingOutcome Outcome, TView? Appointment = null) where TView : class;

/// <summary>
/// Moves and cancellations asked through an endpoint: the change and the access event of its patient commit together,
/// so that the patient's access log shows each change made and none refused.
/// </summary>
internal static class LoggedChanges
{
    /// <param name="change">A move or cancellation of <see cref="AppointmentBooking"/>; it runs in this transaction.</param>
    /// <returns>The change's outcome; when it is done, the tracker is clear again.</returns>
    public static async Task<BookingOutcome> RunAsync(AppointmentsDb db, PatientAccessLog access, Guid patientId,
        Guid appointmentId, string purpose, Func<Task<BookingResult>> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await change();
        if (result.Outcome != BookingOutcome.Done)
        {
            return result.Outcome;
        }

        access.Add(patientId, AccessActions.Change, purpose, appointmentId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return BookingOutcome.Done;
    }
}
