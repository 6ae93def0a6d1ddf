using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>
/// An organization's side of booking: its appointments of a day, and cancelling or moving one (a doctor's sick day).
/// Another organization's appointment is, for this one, no appointment at all.
/// </summary>
public sealed class OrganizationAppointments(
    AppointmentsDb db,
    AppointmentBooking booking,
    PatientAccessLog access,
    ILogger<OrganizationAppointments> logger)
{
    public const string ReadPurpose = "просмотр записей пациентов на приём";
    public const string CancelPurpose = "отмена записи пациента медицинской организацией";
    public const string MovePurpose = "перенос записи пациента медицинской организацией";

    /// <summary>The organization's appointments of a Moscow day (every status unless <paramref name="status"/>), earliest first.</summary>
    public async Task<List<OrganizationAppointmentResponse>> ListDayAsync(Guid organizationId, DateOnly day, string? status,
        CancellationToken ct)
    {
        var (from, to) = MoscowTime.DayBounds(day);
        var query = db.Appointments.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.StartsAt >= from && a.StartsAt < to);
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        var ids = await query.OrderBy(a => a.StartsAt).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var items = await AppointmentViews.LoadForOrganizationAsync(db, ids, ct);

        // The organization sees who comes: each patient's data was read.
        foreach (var item in items)
        {
            access.Add(item.Patient.Id, AccessActions.Read, ReadPurpose, item.Id);
        }

        if (items.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return items;
    }

    public Task<ChangedAppointment<OrganizationAppointmentResponse>> CancelAsync(Guid organizationId, Guid id,
        BookingActor actor, string reason, CancellationToken ct) =>
        ChangeAsync(organizationId, id, CancelPurpose, () => booking.CancelAsync(id, null, actor, reason, ct), ct);

    public Task<ChangedAppointment<OrganizationAppointmentResponse>> MoveAsync(Guid organizationId, Guid id, Guid slotId,
        BookingActor actor, string reason, CancellationToken ct) =>
        ChangeAsync(organizationId, id, MovePurpose, () => booking.MoveAsync(id, null, slotId, actor, reason, null, ct), ct);

    private async Task<ChangedAppointment<OrganizationAppointmentResponse>> ChangeAsync(Guid organizationId, Guid id,
        string purpose, Func<Task<BookingResult>> change, CancellationToken ct)
    {
        var patientId = await db.Appointments.Where(a => a.Id == id && a.OrganizationId == organizationId)
            .Select(a => (Guid?)a.PatientId).SingleOrDefaultAsync(ct);
        if (patientId is null)
        {
            return new(BookingOutcome.AppointmentNotFound);
        }

        var outcome = await LoggedChanges.RunAsync(db, access, patientId.Value, id, purpose, change, ct);
        if (outcome != BookingOutcome.Done)
        {
            return new(outcome);
        }

        logger.LogInformation("Organization {OrganizationId} changed appointment {AppointmentId}", organizationId, id);
        return new(outcome, (await AppointmentViews.LoadForOrganizationAsync(db, [id], ct))[0]);
    }
}
