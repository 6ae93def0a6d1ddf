using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record DoctorDayPatient(Guid Id, string? Name, DateOnly? BirthDate);

public sealed record DoctorDayAppointment(Guid Id, string Status, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string Time, bool Telemedicine, string? Room, string? JoinUrl, DoctorDayPatient Patient);

public sealed record DoctorDayResponse(DateOnly Date, Guid DoctorId, string DoctorName, IReadOnlyList<DoctorDayAppointment> Items);

/// <summary>A doctor's own appointments on a day: who comes, when, where.</summary>
public static class DoctorDayApi
{
    /// <summary>Why the doctor opens these patients' data, as their access log shows it.</summary>
    public const string CarePurpose = "оказание медицинской помощи";

    public static RouteGroupBuilder MapDoctorDayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/appointments/doctor").WithTags("Doctor's day").RequireAuthorization(Policies.Doctor);
        api.MapGet("/day", GetDoctorDay).WithName(nameof(GetDoctorDay));
        return api;
    }

    /// <summary>
    /// The doctor is the <see cref="Doctor"/> whose AccountId is the token's sub, at the organization of its org_id; a
    /// doctor without such a record (another organization's, or not published) gets 404 and sees nobody.
    /// </summary>
    public static async Task<Results<Ok<DoctorDayResponse>, ValidationProblem, ProblemHttpResult>> GetDoctorDay(
        string? date, HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(date)
            || !DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Problems.Validation("date", "Укажите дату в формате ГГГГ-ММ-ДД, например 2026-12-10.");
        }

        if (!Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var accountId)
            || user.GetOrganizationId() is not { } organizationId)
        {
            return NotADoctorHere();
        }

        var doctor = await db.Doctors.AsNoTracking()
            .Where(d => d.AccountId == accountId && d.OrganizationId == organizationId)
            .OrderByDescending(d => d.Active).ThenBy(d => d.Id)
            .FirstOrDefaultAsync(ct);
        if (doctor is null)
        {
            return NotADoctorHere();
        }

        var (dayStart, dayEnd) = MoscowTime.DayBounds(day);
        // Served by the (DoctorId, StartsAt) index.
        var rows = await (
                from a in db.Appointments.AsNoTracking()
                where a.DoctorId == doctor.Id && a.StartsAt >= dayStart && a.StartsAt < dayEnd
                join s in db.Slots on a.SlotId equals s.Id
                join p in db.KnownPatients on a.PatientId equals p.PatientId into patients
                from p in patients.DefaultIfEmpty()
                orderby a.StartsAt, a.Id
                select new
                {
                    a.Id, a.Status, a.StartsAt, a.EndsAt, a.Telemedicine, a.JoinUrl, s.Room, a.PatientId,
                    Patient = p,
                })
            .ToListAsync(ct);

        var items = rows.Select(r => new DoctorDayAppointment(r.Id, r.Status, r.StartsAt, r.EndsAt,
                r.StartsAt.ToOffset(MoscowTime.Offset).ToString("HH:mm", CultureInfo.InvariantCulture),
                r.Telemedicine, r.Telemedicine ? null : r.Room, r.JoinUrl,
                new DoctorDayPatient(r.PatientId, r.Patient is null || r.Patient.FullName.Length == 0 ? null : r.Patient.FullName,
                    r.Patient?.BirthDate)))
            .ToList();

        // Each patient shown learns from their access log that this doctor opened their appointment.
        foreach (var appointment in rows.DistinctBy(r => r.PatientId))
        {
            db.AddAccessEvent(http, appointment.PatientId, PatientAccessLog.Section, AccessActions.Read, CarePurpose,
                appointment.Id);
        }

        if (rows.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new DoctorDayResponse(day, doctor.Id, doctor.FullName, items));
    }

    private static ProblemHttpResult NotADoctorHere() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Расписание не найдено",
            detail: "Ваша учётная запись не указана у врачей этой медицинской организации: обратитесь к администратору организации.");
}
