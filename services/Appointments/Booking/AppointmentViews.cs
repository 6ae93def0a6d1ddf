using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Booking;

public sealed record AppointmentDoctor(Guid Id, string Name, string Specialty, string SpecialtyName);

public sealed record AppointmentOrganization(Guid Id, string Name, string Address, string Phone);

/// <param name="Kind">"booked", "moved" or "cancelled".</param>
/// <param name="ByRole">"patient", "representative" or "organization".</param>
public sealed record AppointmentHistoryItem(string Kind, DateTimeOffset At, string ByRole, string? Reason,
    DateTimeOffset? FromStartsAt, DateTimeOffset? ToStartsAt);

/// <param name="Address">Where to come (the room included); null for telemedicine.</param>
/// <param name="JoinUrl">The video consultation's link, for telemedicine.</param>
public sealed record AppointmentResponse(
    Guid Id,
    string Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool Telemedicine,
    string? JoinUrl,
    string? Room,
    string? Address,
    AppointmentDoctor Doctor,
    AppointmentOrganization Organization,
    DateTimeOffset? CancelledAt,
    string? CancelledBy,
    string? CancelReason,
    IReadOnlyList<AppointmentHistoryItem> History);

public sealed record AppointmentListResponse(IReadOnlyList<AppointmentResponse> Items);

/// <summary>Who the appointment is for, as the organization knows its patients (by SNILS).</summary>
public sealed record AppointmentPatient(Guid Id, string? Name, string? Snils, DateOnly? BirthDate);

public sealed record OrganizationAppointmentResponse(
    Guid Id,
    string Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool Telemedicine,
    string? JoinUrl,
    string? Room,
    AppointmentDoctor Doctor,
    AppointmentPatient Patient,
    DateTimeOffset? CancelledAt,
    string? CancelledBy,
    string? CancelReason,
    IReadOnlyList<AppointmentHistoryItem> History);

public sealed record OrganizationAppointmentListResponse(DateOnly Date, IReadOnlyList<OrganizationAppointmentResponse> Items);

/// <summary>Appointments as their patients (and organizations) read them, with doctor, organization and history.</summary>
public static class AppointmentViews
{
    public static readonly IReadOnlyList<string> Statuses =
    [
        AppointmentStatuses.Booked, AppointmentStatuses.Cancelled, AppointmentStatuses.Completed, AppointmentStatuses.NoShow,
    ];

    /// <summary>The appointments of <paramref name="ids"/>, in that order, each with what the patient reads about it.</summary>
    public static async Task<List<AppointmentResponse>> LoadAsync(AppointmentsDb db, IReadOnlyCollection<Guid> ids,
        CancellationToken ct) =>
        (await LoadEntitiesAsync(db, ids, ct)).Select(e => e.Response).ToList();

    /// <summary>The appointments of <paramref name="ids"/>, in that order, as their organization reads them: with the patient.</summary>
    public static async Task<List<OrganizationAppointmentResponse>> LoadForOrganizationAsync(AppointmentsDb db,
        IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var loaded = await LoadEntitiesAsync(db, ids, ct);
        var patientIds = loaded.Select(l => l.Appointment.PatientId).Distinct().ToList();
        var patients = await db.KnownPatients.AsNoTracking().Where(p => patientIds.Contains(p.PatientId))
            .ToDictionaryAsync(p => p.PatientId, ct);
        return loaded.Select(l =>
        {
            var r = l.Response;
            var patient = patients.GetValueOrDefault(l.Appointment.PatientId);
            return new OrganizationAppointmentResponse(r.Id, r.Status, r.StartsAt, r.EndsAt, r.Telemedicine, r.JoinUrl, r.Room,
                r.Doctor,
                new AppointmentPatient(l.Appointment.PatientId, patient is null ? null : patient.FullName, patient?.Snils,
                    patient?.BirthDate),
                r.CancelledAt, r.CancelledBy, r.CancelReason, r.History);
        }).ToList();
    }

    public sealed record Loaded(Appointment Appointment, AppointmentResponse Response);

    public static async Task<List<Loaded>> LoadEntitiesAsync(AppointmentsDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        // One round trip: the appointments with what the patient reads about them.
        var rows = await (
                from a in db.Appointments.AsNoTracking().Where(a => ids.Contains(a.Id))
                join s in db.Slots on a.SlotId equals s.Id into slotJoin
                from slot in slotJoin.DefaultIfEmpty()
                join d in db.Doctors on a.DoctorId equals d.Id into doctorJoin
                from doctor in doctorJoin.DefaultIfEmpty()
                join o in db.Organizations on a.OrganizationId equals o.Id into organizationJoin
                from organization in organizationJoin.DefaultIfEmpty()
                join dep in db.Departments on slot.DepartmentId equals (Guid?)dep.Id into departmentJoin
                from department in departmentJoin.DefaultIfEmpty()
                select new
                {
                    Appointment = a, History = a.History.ToList(), Slot = slot, Doctor = doctor, Organization = organization,
                    Department = department,
                })
            .ToListAsync(ct);
        var appointments = rows.ToDictionary(r => r.Appointment.Id);

        return ids.Where(appointments.ContainsKey).Select(id =>
        {
            var row = appointments[id];
            var (a, slot, doctor, organization, department) = (row.Appointment, row.Slot, row.Doctor, row.Organization, row.Department);
            var specialty = doctor?.SpecialtyCode ?? slot?.SpecialtyCode ?? "";
            var response = new AppointmentResponse(
                a.Id, a.Status, a.StartsAt, a.EndsAt, a.Telemedicine, a.JoinUrl, a.Telemedicine ? null : slot?.Room,
                slot is null ? organization?.Address : AppointmentBooking.AddressOf(slot, organization, department),
                new AppointmentDoctor(a.DoctorId, doctor?.FullName ?? "", specialty, Specialties.NameOf(specialty)),
                new AppointmentOrganization(a.OrganizationId, organization?.Name ?? "", organization?.Address ?? "",
                    organization?.Phone ?? ""),
                a.CancelledAt, a.CancelledBy, a.CancelReason,
                row.History.OrderBy(c => c.At).ThenBy(c => c.Id)
                    .Select(c => new AppointmentHistoryItem(c.Kind, c.At, c.ByRole, c.Reason, c.FromStartsAt, c.ToStartsAt))
                    .ToList());
            return new Loaded(a, response);
        }).ToList();
    }
}
