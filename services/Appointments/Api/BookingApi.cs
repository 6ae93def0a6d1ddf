using System.Security.Claims;
using System.Text;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>The patient's appointments: book a free slot, see, move and cancel them (or a representative's for them).</summary>
public static class BookingApi
{
    public const string Route = "/api/v1/appointments";
    public const int IdempotencyKeyLength = 100;

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
    /// Books the slot. With an Idempotency-Key the first answer (a booking or a refusal) is stored with the booking, and a
    /// retry with the same key gets it again without booking anything.
    /// </summary>
    public static async Task<Results<Created<AppointmentResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>>
        BookAppointment(HttpContext http, Json<BookAppointmentRequest> body, ClaimsPrincipal user, PatientAppointments appointments,
            PatientAccessLog access, CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await access.RefuseBookingAsync(user, AccessActions.Create, PatientAppointments.BookPurpose, null, ct);
        }

        var patientId = user.GetSubjectId();
        if (IdempotencyKeys.Read(http.Request, IdempotencyKeyLength, out var key) is { } badKey)
        {
            return badKey;
        }

        if (body.Value.SlotId is not { } slotId)
        {
            return Problems.Validation("slotId", "Выберите время приёма (slotId).");
        }

        var keyed = key.Length > 0 ? IdempotentRequestKey.Of(key, $"POST {Route}\n{slotId}") : null;
        var result = await appointments.BookAsync(patientId, slotId, user.PersonActor(), keyed, AnswerOf, ct);
        switch (result)
        {
            case { Outcome: KeyedBookingOutcome.Repeated, Earlier: { } earlier }:
                return Repeated(http, earlier);
            case { Outcome: KeyedBookingOutcome.KeyReused }:
                return KeyReused();
        }

        var answer = result.Answer!;
        return answer.Body is AppointmentResponse booked
            ? TypedResults.Created(answer.Location, booked)
            : TypedResults.Problem((ProblemDetails)answer.Body);
    }

    public static async Task<Results<Ok<AppointmentListResponse>, ValidationProblem, ProblemHttpResult>> ListMyAppointments(
        string? status, ClaimsPrincipal user, PatientAppointments appointments, PatientAccessLog access, CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await access.RefuseBookingAsync(user, AccessActions.Read, PatientAppointments.ReadPurpose, null, ct);
        }

        if (status is not null && !AppointmentViews.Statuses.Contains(status))
        {
            return Problems.Validation("status",
                $"Неизвестный статус записи. Допустимые значения: {string.Join(", ", AppointmentViews.Statuses)}.");
        }

        return TypedResults.Ok(new AppointmentListResponse(await appointments.ListAsync(user.GetSubjectId(), status, ct)));
    }

    public static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> GetMyAppointment(Guid id,
        ClaimsPrincipal user, PatientAppointments appointments, PatientAccessLog access, CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await access.RefuseBookingAsync(user, AccessActions.Read, PatientAppointments.ReadPurpose, id, ct);
        }

        return await appointments.GetAsync(user.GetSubjectId(), id, ct) is { } appointment
            ? TypedResults.Ok(appointment)
            : TypedResults.Problem(BookingAnswers.ProblemOf(BookingOutcome.AppointmentNotFound));
    }

    public static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> MoveMyAppointment(Guid id,
        Json<MoveAppointmentRequest> body, ClaimsPrincipal user, PatientAppointments appointments, PatientAccessLog access,
        CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await access.RefuseBookingAsync(user, AccessActions.Change, PatientAppointments.MovePurpose, id, ct);
        }

        if (body.Value.SlotId is not { } slotId)
        {
            return Problems.Validation("slotId", "Выберите новое время приёма (slotId).");
        }

        return BookingAnswers.Of(await appointments.MoveAsync(user.GetSubjectId(), id, slotId, user.PersonActor(), ct));
    }

    public static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> CancelMyAppointment(Guid id,
        Json<CancelAppointmentRequest>? body, ClaimsPrincipal user, PatientAppointments appointments, PatientAccessLog access,
        CancellationToken ct)
    {
        if (!user.CanManageAppointments())
        {
            return await access.RefuseBookingAsync(user, AccessActions.Change, PatientAppointments.CancelPurpose, id, ct);
        }

        // The reason is optional, and so is the body that carries it.
        var reason = RequestText.Trimmed(body?.Value.Reason);
        if (reason?.Length > AppointmentBooking.ReasonLength)
        {
            return Problems.Validation("reason", $"Причина должна быть не длиннее {AppointmentBooking.ReasonLength} символов.");
        }

        return BookingAnswers.Of(await appointments.CancelAsync(user.GetSubjectId(), id, user.PersonActor(), reason, ct));
    }

    /// <summary>The answer to a booking, as the patient gets it now and, with an Idempotency-Key, on every retry.</summary>
    private static BookingAnswer AnswerOf(BookingResult result, AppointmentResponse? booked)
    {
        if (booked is not null)
        {
            return new BookingAnswer(StatusCodes.Status201Created, booked, $"{Route}/{booked.Id}");
        }

        var problem = BookingAnswers.ProblemOf(result.Outcome);
        return new BookingAnswer(problem.Status!.Value, problem, null);
    }

    /// <summary>The first answer to the same key and request, as it was given.</summary>
    private static ContentHttpResult Repeated(HttpContext http, IdempotentRequest earlier)
    {
        if (earlier.Location is { } location)
        {
            http.Response.Headers.Location = location;
        }

        var contentType = earlier.StatusCode >= 400 ? "application/problem+json" : "application/json";
        return TypedResults.Content(earlier.Response, contentType, Encoding.UTF8, earlier.StatusCode);
    }

    private static ProblemHttpResult KeyReused() =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [IdempotencyKeys.Header] = ["Этот ключ идемпотентности уже использован для другого запроса."],
        })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Запрос не принят",
            Detail = "Этот ключ идемпотентности уже использован для другого запроса. Для новой записи нужен новый ключ.",
            Extensions = { ["reason"] = "idempotency_key_reused" },
        });
}
