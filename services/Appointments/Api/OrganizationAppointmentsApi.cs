using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>
/// An organization's side of booking: its appointments of a day, and cancelling or moving one (a doctor's sick day), always
/// with a reason the patient reads. Another organization's appointment answers as a missing one.
/// </summary>
public static class OrganizationAppointmentsApi
{
    public const string Route = "/api/v1/appointments/org/appointments";

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
        string? date, string? status, ClaimsPrincipal user, OrganizationAppointments appointments, CancellationToken ct)
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

        var items = await appointments.ListDayAsync(user.GetOrganizationId()!.Value, day, status, ct);
        return TypedResults.Ok(new OrganizationAppointmentListResponse(day, items));
    }

    public static async Task<Results<Ok<OrganizationAppointmentResponse>, ValidationProblem, ProblemHttpResult>>
        CancelOrganizationAppointment(Guid id, Json<OrganizationCancelAppointmentRequest> body, ClaimsPrincipal user,
            OrganizationAppointments appointments, CancellationToken ct)
    {
        var reason = RequestText.Trimmed(body.Value.Reason);
        if (ValidateReason(reason) is { } invalid)
        {
            return Problems.Validation("reason", invalid);
        }

        return BookingAnswers.Of(
            await appointments.CancelAsync(user.GetOrganizationId()!.Value, id, user.OrganizationActor(), reason!, ct));
    }

    public static async Task<Results<Ok<OrganizationAppointmentResponse>, ValidationProblem, ProblemHttpResult>>
        MoveOrganizationAppointment(Guid id, Json<OrganizationMoveAppointmentRequest> body, ClaimsPrincipal user,
            OrganizationAppointments appointments, CancellationToken ct)
    {
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        if (request.SlotId is null)
        {
            errors["slotId"] = ["Укажите новое время приёма (slotId)."];
        }

        var reason = RequestText.Trimmed(request.Reason);
        if (ValidateReason(reason) is { } invalid)
        {
            errors["reason"] = [invalid];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return BookingAnswers.Of(await appointments.MoveAsync(user.GetOrganizationId()!.Value, id, request.SlotId!.Value,
            user.OrganizationActor(), reason!, ct));
    }

    /// <summary>The patient reads why: an organization's change always says it.</summary>
    private static string? ValidateReason(string? reason) =>
        reason is null ? "Укажите причину: её увидит пациент."
        : reason.Length > AppointmentBooking.ReasonLength ? $"Причина должна быть не длиннее {AppointmentBooking.ReasonLength} символов."
        : null;
}
