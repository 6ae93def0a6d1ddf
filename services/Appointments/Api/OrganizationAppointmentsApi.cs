using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record OrganizationCancelAppointmentRequest(string? Reason) : IJsonRequest<OrganizationCancelAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<OrganizationCancelAppointmentRequest>.FormatMessages => BookingApi.FormatMessages;
}

public sealed record OrganizationMoveAppointmentRequest(Guid? SlotId, string? Reason) : IJsonRequest<OrganizationMoveAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<OrganizationMoveAppointmentRequest>.FormatMessages => BookingApi.FormatMessages;
}

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

/// <summary>
/// An organization's side of booking: its appointments of a day, and cancelling or moving one (a doctor's sick day), always
/// with a reason the patient reads. Another organization's appointment answers as a missing one.
/// </summary>
public static class OrganizationAppointmentsApi
{
    public const string Route = "/api/v1/appointments/org/appointments";

    private const string ReadPurpose = "просмотр записей пациентов на приём";
    private const string CancelPurpose = "отмена записи пациента медицинской организацией";
    private const string MovePurpose = "перенос записи пациента медицинской организацией";

    public static RouteGroupBuilder MapOrganizationAppointmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Booking (organizations)").RequireAuthorization(Policies.MedicalOrganization);

        api.MapGet("/", ListOrganizationAppointments).WithName(nameof(ListOrganizationAppointments));
        api.MapPost("/{id:guid}/cancel", CancelOrganizationAppointment)
            .Accepts<OrganizationCancelAppointmentRequest>("application/json").WithName(nameof(CancelOrganizationAppointment));
        api.MapPost("/{id:guid}/move", MoveOrganizationAppointment)
            .Accepts<OrganizationMoveAppointmentRequest>("application/json").WithName(nameof(MoveOrganizationAppointment));

        return api;
    }

    /// <summary>The organization's appointments of a Moscow day (every status), earliest first.</summary>
    public static async Task<Results<Ok<OrganizationAppointmentListResponse>, ValidationProblem>> ListOrganizationAppointments(
        string? date, string? status, HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors["date"] = ["Укажите дату в формате ГГГГ-ММ-ДД."];
        }

        if (status is not null && !AppointmentViews.Statuses.Contains(status))
        {
            errors["status"] = [$"Неизвестный статус записи. Допустимые значения: {string.Join(", ", AppointmentViews.Statuses)}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var organizationId = user.GetOrganizationId()!.Value;
        var (from, to) = MoscowTime.DayBounds(day);
        var query = db.Appointments.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.StartsAt >= from && a.StartsAt < to);
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        var ids = await query.OrderBy(a => a.StartsAt).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var items = await ToResponsesAsync(db, ids, ct);

        // The organization sees who comes: each patient's data was read.
        foreach (var item in items)
        {
            db.AddAccessEvent(http, item.Patient.Id, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, item.Id);
        }

        if (items.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new OrganizationAppointmentListResponse(day, items));
    }

    public static async Task<Results<Ok<OrganizationAppointmentResponse>, ValidationProblem, ProblemHttpResult>>
        CancelOrganizationAppointment(Guid id, HttpContext http, Json<OrganizationCancelAppointmentRequest> body, ClaimsPrincipal user, [AsParameters] BookingServices services,
            CancellationToken ct)
    {
        var request = body.Value;

        var reason = BookingApi.Trimmed(request.Reason);
        if (ValidateReason(reason) is { } invalid)
        {
            return Problems.Validation("reason", invalid);
        }

        var actor = OrganizationActor(user);
        return await ChangeAsync(id, http, user, services, CancelPurpose, ct,
            () => services.Booking.CancelAsync(id, null, actor, reason, ct));
    }

    public static async Task<Results<Ok<OrganizationAppointmentResponse>, ValidationProblem, ProblemHttpResult>>
        MoveOrganizationAppointment(Guid id, HttpContext http, Json<OrganizationMoveAppointmentRequest> body, ClaimsPrincipal user, [AsParameters] BookingServices services,
            CancellationToken ct)
    {
        var request = body.Value;

        var errors = new Dictionary<string, string[]>();
        if (request.SlotId is null)
        {
            errors["slotId"] = ["Укажите новое время приёма (slotId)."];
        }

        var reason = BookingApi.Trimmed(request.Reason);
        if (ValidateReason(reason) is { } invalid)
        {
            errors["reason"] = [invalid];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var actor = OrganizationActor(user);
        return await ChangeAsync(id, http, user, services, MovePurpose, ct,
            () => services.Booking.MoveAsync(id, null, request.SlotId!.Value, actor, reason, null, ct));
    }

    private static async Task<Results<Ok<OrganizationAppointmentResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id, HttpContext http, ClaimsPrincipal user, BookingServices services, string purpose, CancellationToken ct,
        Func<Task<BookingResult>> change)
    {
        var db = services.Db;
        var organizationId = user.GetOrganizationId()!.Value;
        var patientId = await db.Appointments.Where(a => a.Id == id && a.OrganizationId == organizationId)
            .Select(a => (Guid?)a.PatientId).SingleOrDefaultAsync(ct);
        if (patientId is null)
        {
            return BookingApi.AppointmentNotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await change();
        if (result.Outcome != BookingOutcome.Done)
        {
            return result.Outcome == BookingOutcome.AppointmentNotFound
                ? BookingApi.AppointmentNotFound()
                : TypedResults.Problem(BookingApi.Problem(result.Outcome));
        }

        db.AddAccessEvent(http, patientId.Value, AppointmentAccess.AccessSection, AccessActions.Change, purpose, id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        services.Logger.LogInformation("Organization {OrganizationId} changed appointment {AppointmentId}", organizationId, id);
        return TypedResults.Ok((await ToResponsesAsync(db, [id], ct))[0]);
    }

    private static async Task<List<OrganizationAppointmentResponse>> ToResponsesAsync(AppointmentsDb db,
        IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var loaded = await AppointmentViews.LoadEntitiesAsync(db, ids, ct);
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

    private static BookingActor OrganizationActor(ClaimsPrincipal user) =>
        new(user.GetClientId() ?? user.GetOrganizationId()!.Value.ToString(), BookingActor.OrganizationRole);

    /// <summary>The patient reads why: an organization's change always says it.</summary>
    private static string? ValidateReason(string? reason) =>
        reason is null ? "Укажите причину: её увидит пациент."
        : reason.Length > AppointmentBooking.ReasonLength ? $"Причина должна быть не длиннее {AppointmentBooking.ReasonLength} символов."
        : null;
}
