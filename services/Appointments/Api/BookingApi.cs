using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record BookingServices(AppointmentsDb Db, AppointmentBooking Booking, TimeProvider Time,
    ILogger<BookingServices> Logger);

public sealed record BookAppointmentRequest(Guid? SlotId) : IJsonRequest<BookAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<BookAppointmentRequest>.FormatMessages => BookingApi.FormatMessages;
}

public sealed record MoveAppointmentRequest(Guid? SlotId) : IJsonRequest<MoveAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<MoveAppointmentRequest>.FormatMessages => BookingApi.FormatMessages;
}

public sealed record CancelAppointmentRequest(string? Reason) : IJsonRequest<CancelAppointmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<CancelAppointmentRequest>.FormatMessages => BookingApi.FormatMessages;
}

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

/// <summary>The patient's appointments: book a free slot, see, move and cancel them (or a representative's for them).</summary>
public static class BookingApi
{
    public const string Route = "/api/v1/appointments";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int IdempotencyKeyLength = 100;

    public const string SlotTakenReason = "slot_taken";
    public const string AccountNotConfirmedReason = "account_not_confirmed";
    public const string NoOmsPolicyReason = "oms_policy_missing";
    public const string OmsPolicyNotValidReason = "oms_policy_not_valid";

    private const string BookPurpose = "запись на приём к врачу";
    private const string ReadPurpose = "просмотр записей на приём к врачу";
    private const string MovePurpose = "перенос записи на приём к врачу";
    private const string CancelPurpose = "отмена записи на приём к врачу";

    public static RouteGroupBuilder MapBookingApi(this IEndpointRouteBuilder app)
    {
        // Authenticated here; who may act for the patient (the token's sub) is checked by CanManageAppointments.
        var api = app.MapGroup(Route).WithTags("Booking").RequireAuthorization();

        api.MapPost("/", BookAppointment).Accepts<BookAppointmentRequest>("application/json").WithName(nameof(BookAppointment));
        api.MapGet("/", ListMyAppointments).WithName(nameof(ListMyAppointments));
        api.MapGet("/{id:guid}", GetMyAppointment).WithName(nameof(GetMyAppointment));
        api.MapPost("/{id:guid}/move", MoveMyAppointment).Accepts<MoveAppointmentRequest>("application/json")
            .WithName(nameof(MoveMyAppointment));
        api.MapPost("/{id:guid}/cancel", CancelMyAppointment).Accepts<CancelAppointmentRequest>("application/json")
            .WithName(nameof(CancelMyAppointment));

        return api;
    }

    /// <summary>
    /// Books the slot. With an Idempotency-Key the first answer (a booking or a refusal) is stored with the booking, in
    /// one transaction, and a retry with the same key gets it again without booking anything.
    /// </summary>
    public static async Task<Results<Created<AppointmentResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>>
        BookAppointment(HttpContext http, Json<BookAppointmentRequest> body, ClaimsPrincipal user, [AsParameters] BookingServices services, CancellationToken ct)
    {
        var db = services.Db;
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, user, AccessActions.Create, BookPurpose, null, ct);
        }

        var patientId = user.GetSubjectId();
        var key = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length > IdempotencyKeyLength)
        {
            return Problems.Validation(IdempotencyKeyHeader,
                $"Ключ идемпотентности должен быть не длиннее {IdempotencyKeyLength} символов.");
        }

        var request = body.Value;

        if (request.SlotId is not { } slotId)
        {
            return Problems.Validation("slotId", "Выберите время приёма (slotId).");
        }

        var requestHash = Hash($"POST {Route}\n{slotId}");
        if (key.Length > 0 && await FindKeyAsync(db, patientId, key, ct) is { } earlier)
        {
            return Repeated(http, earlier, requestHash);
        }

        var actor = new BookingActor(user.ActorId().ToString(), user.ActorRole());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await services.Booking.BookAsync(patientId, slotId, actor, null, ct);

        int status;
        object answer;
        string? location = null;
        if (result is { Outcome: BookingOutcome.Done, Appointment: { } appointment })
        {
            status = StatusCodes.Status201Created;
            answer = (await AppointmentViews.LoadAsync(db, [appointment.Id], ct))[0];
            location = $"{Route}/{appointment.Id}";
        }
        else
        {
            var problem = Problem(result.Outcome);
            status = problem.Status!.Value;
            answer = problem;
        }

        db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Create, BookPurpose,
            result.Appointment?.Id);
        if (key.Length > 0)
        {
            db.IdempotentRequests.Add(new IdempotentRequest
            {
                OwnerId = patientId,
                Key = key,
                RequestHash = requestHash,
                StatusCode = status,
                Response = JsonSerializer.Serialize(answer, answer.GetType(), JsonOptions(http)),
                Location = location,
                CreatedAt = services.Time.GetUtcNow(),
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && key.Length > 0)
        {
            // A concurrent retry with the same key answered first: undo this attempt and answer as it did.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (await FindKeyAsync(db, patientId, key, ct) is not { } first)
            {
                throw;
            }

            return Repeated(http, first, requestHash);
        }

        if (answer is AppointmentResponse booked)
        {
            return TypedResults.Created(location, booked);
        }

        return TypedResults.Problem((ProblemDetails)answer);
    }

    public static async Task<Results<Ok<AppointmentListResponse>, ValidationProblem, ProblemHttpResult>> ListMyAppointments(
        string? status, HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, user, AccessActions.Read, ReadPurpose, null, ct);
        }

        if (status is not null && !AppointmentViews.Statuses.Contains(status))
        {
            return Problems.Validation("status",
                $"Неизвестный статус записи. Допустимые значения: {string.Join(", ", AppointmentViews.Statuses)}.");
        }

        var patientId = user.GetSubjectId();
        var query = db.Appointments.AsNoTracking().Where(a => a.PatientId == patientId);
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        var ids = await query.OrderByDescending(a => a.StartsAt).ThenByDescending(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var items = await AppointmentViews.LoadAsync(db, ids, ct);
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new AppointmentListResponse(items));
    }

    public static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> GetMyAppointment(Guid id, HttpContext http,
        ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, user, AccessActions.Read, ReadPurpose, id, ct);
        }

        var patientId = user.GetSubjectId();
        // Someone else's appointment answers exactly like a missing one, so ids reveal nothing.
        if (!await db.Appointments.AnyAsync(a => a.Id == id && a.PatientId == patientId, ct))
        {
            return AppointmentNotFound();
        }

        var appointment = (await AppointmentViews.LoadAsync(db, [id], ct))[0];
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(appointment);
    }

    public static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> MoveMyAppointment(Guid id,
        HttpContext http, Json<MoveAppointmentRequest> body, ClaimsPrincipal user, [AsParameters] BookingServices services, CancellationToken ct)
    {
        var db = services.Db;
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, user, AccessActions.Change, MovePurpose, id, ct);
        }

        var request = body.Value;

        if (request.SlotId is not { } slotId)
        {
            return Problems.Validation("slotId", "Выберите новое время приёма (slotId).");
        }

        var patientId = user.GetSubjectId();
        var actor = new BookingActor(user.ActorId().ToString(), user.ActorRole());
        return await ChangeAsync(http, db, patientId, id, MovePurpose, ct,
            () => services.Booking.MoveAsync(id, patientId, slotId, actor, null, null, ct));
    }

    public static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> CancelMyAppointment(Guid id,
        HttpContext http, Json<CancelAppointmentRequest>? body, ClaimsPrincipal user, [AsParameters] BookingServices services, CancellationToken ct)
    {
        var db = services.Db;
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, user, AccessActions.Change, CancelPurpose, id, ct);
        }

        // The reason is optional, and so is the body that carries it.
        string? reason = null;
        if (body is not null)
        {
            var request = body.Value;

            reason = Trimmed(request.Reason);
            if (reason?.Length > AppointmentBooking.ReasonLength)
            {
                return Problems.Validation("reason", $"Причина должна быть не длиннее {AppointmentBooking.ReasonLength} символов.");
            }
        }

        var patientId = user.GetSubjectId();
        var actor = new BookingActor(user.ActorId().ToString(), user.ActorRole());
        return await ChangeAsync(http, db, patientId, id, CancelPurpose, ct,
            () => services.Booking.CancelAsync(id, patientId, actor, reason, ct));
    }

    /// <summary>Runs a move or a cancellation and answers with the appointment as it became, logging the change.</summary>
    internal static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        HttpContext http, AppointmentsDb db, Guid patientId, Guid id, string purpose, CancellationToken ct,
        Func<Task<BookingResult>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await change();
        if (result.Outcome == BookingOutcome.AppointmentNotFound)
        {
            return AppointmentNotFound();
        }

        if (result.Outcome != BookingOutcome.Done)
        {
            return TypedResults.Problem(Problem(result.Outcome));
        }

        db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Change, purpose, id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return TypedResults.Ok((await AppointmentViews.LoadAsync(db, [id], ct))[0]);
    }

    /// <summary>The problem a refused booking, move or cancellation answers with: what happened and what to do.</summary>
    internal static ProblemDetails Problem(BookingOutcome outcome) => outcome switch
    {
        BookingOutcome.SlotNotFound => Details(StatusCodes.Status404NotFound, "Время приёма не найдено", "slot_not_found",
            "Такого времени приёма нет. Обновите список свободного времени и выберите другое."),
        BookingOutcome.SlotTaken => Details(StatusCodes.Status409Conflict, "Время уже занято", SlotTakenReason,
            "Это время уже занято или недоступно для записи. Выберите другое свободное время."),
        BookingOutcome.SlotInPast => Details(StatusCodes.Status422UnprocessableEntity, "Время приёма прошло", "slot_in_past",
            "Это время приёма уже прошло. Выберите время в будущем."),
        BookingOutcome.AccountNotConfirmed => Details(StatusCodes.Status422UnprocessableEntity, "Учётная запись не подтверждена",
            AccountNotConfirmedReason,
            "Записаться к врачу можно только с подтверждённой учётной записью. Подтвердите личность: в центре " +
            "обслуживания, онлайн через банк или с помощью электронной подписи, — и повторите запись."),
        BookingOutcome.NoOmsPolicy => Details(StatusCodes.Status422UnprocessableEntity, "Нет полиса ОМС", NoOmsPolicyReason,
            "В вашем профиле нет сведений о полисе ОМС, а запись к врачу проводится по полису. Добавьте данные полиса " +
            "ОМС в профиль и повторите запись."),
        BookingOutcome.OmsPolicyNotValid => Details(StatusCodes.Status422UnprocessableEntity, "Полис ОМС не действует",
            OmsPolicyNotValidReason,
            "Ваш полис ОМС не действует на дату приёма. Обновите сведения о полисе в профиле (если полис заменён, " +
            "укажите новый) или выберите дату, на которую полис действует."),
        BookingOutcome.NotChangeable => Details(StatusCodes.Status409Conflict, "Запись нельзя изменить", "appointment_not_changeable",
            "Эту запись уже нельзя перенести или отменить: она отменена, изменена одновременно с вашим запросом " +
            "или время приёма уже прошло. Обновите страницу записей."),
        _ => Details(StatusCodes.Status404NotFound, "Запись не найдена", "appointment_not_found",
            "Запись на приём не найдена."),
    };

    internal static ProblemHttpResult AppointmentNotFound() =>
        TypedResults.Problem(Details(StatusCodes.Status404NotFound, "Запись не найдена", "appointment_not_found",
            "Запись на приём не найдена."));

    internal static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            detail: "Передайте данные в формате JSON (Content-Type: application/json).");

    internal static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["slotId"] = "Идентификатор времени приёма должен быть GUID.",
        ["reason"] = "Причина должна быть строкой.",
    };

    private static ProblemDetails Details(int status, string title, string reason, string detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Extensions = { ["reason"] = reason },
    };

    private static async Task<ProblemHttpResult> RefusedAsync(AppointmentsDb db, HttpContext http, ClaimsPrincipal user,
        string action, string purpose, Guid? itemId, CancellationToken ct)
    {
        // Only a person's token names a patient whose refused access is worth telling them about.
        if (Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var subjectId))
        {
            await db.LogAccessAsync(http, subjectId, AppointmentAccess.AccessSection, action, purpose, itemId,
                AccessOutcomes.Refused, ct);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Доступ запрещён",
            detail: "Записываться к врачу и управлять записями может сам пациент или его представитель с правом записи.",
            extensions: new Dictionary<string, object?> { ["reason"] = "appointments_not_delegated" });
    }

    private static Task<IdempotentRequest?> FindKeyAsync(AppointmentsDb db, Guid ownerId, string key, CancellationToken ct) =>
        db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.OwnerId == ownerId && r.Key == key, ct);

    /// <summary>The same key with the same request answers as the first time; with another request it is refused.</summary>
    private static Results<Created<AppointmentResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult> Repeated(
        HttpContext http, IdempotentRequest earlier, string requestHash)
    {
        if (earlier.RequestHash != requestHash)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = ["Этот ключ идемпотентности уже использован для другого запроса."],
            })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Запрос не принят",
                Detail = "Этот ключ идемпотентности уже использован для другого запроса. Для новой записи нужен новый ключ.",
                Extensions = { ["reason"] = "idempotency_key_reused" },
            });
        }

        if (earlier.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        var contentType = earlier.StatusCode >= 400 ? "application/problem+json" : "application/json";
        return TypedResults.Content(earlier.Response, contentType, Encoding.UTF8, earlier.StatusCode);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static JsonSerializerOptions JsonOptions(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}

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
