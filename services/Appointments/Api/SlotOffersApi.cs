using System.Security.Claims;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>
/// The slots offered to the patient from the waitlist, each held for them for a while: accepting books it (or moves
/// their appointment to it), declining passes it on.
/// </summary>
public static class SlotOffersApi
{
    public static RouteGroupBuilder MapSlotOffersApi(this IEndpointRouteBuilder app)
    {
        // Authenticated here; who may act for the patient (the token's sub) is checked by CanManageAppointments.
        var api = app.MapGroup(WaitlistApi.Route).WithTags("Waitlist").RequireAuthorization();

        api.MapGet("/offers", ListMySlotOffers).WithName(nameof(ListMySlotOffers));
        api.MapPost("/offers/{id:guid}/accept", AcceptSlotOffer).WithName(nameof(AcceptSlotOffer));
        api.MapPost("/offers/{id:guid}/decline", DeclineSlotOffer).WithName(nameof(DeclineSlotOffer));

        return api;
    }

    /// <summary>Newest first; an open offer whose time has passed shows as expired before the sweep gets to it.</summary>
    public static async Task<Results<Ok<SlotOfferListResponse>, ValidationProblem, ProblemHttpResult>> ListMySlotOffers(
        string? status, ClaimsPrincipal user, PatientSlotOffers offers, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Read, PatientWaitlist.ReadPurpose, null, ct);
        }

        if (status is not null && !PatientSlotOffers.Statuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", PatientSlotOffers.Statuses)}.");
        }

        return TypedResults.Ok(new SlotOfferListResponse(await offers.ListAsync(patientId, status, ct)));
    }

    public static async Task<Results<Ok<AcceptedOfferResponse>, NotFound, ProblemHttpResult>> AcceptSlotOffer(Guid id,
        ClaimsPrincipal user, PatientSlotOffers offers, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Change, PatientWaitlist.ChangePurpose, id, ct);
        }

        var accepted = await offers.AcceptAsync(patientId, id, user.PersonActor(), ct);
        return accepted switch
        {
            { Outcome: OfferAnswerOutcome.Answered, Answer: { } answer } => TypedResults.Ok(answer),
            { Outcome: OfferAnswerOutcome.NotFound } => TypedResults.NotFound(),
            { Outcome: OfferAnswerOutcome.Closed } => OfferClosed(accepted.CurrentStatus!),
            _ => BookingFailed(accepted.Booking),
        };
    }

    /// <summary>The patient lets the slot pass to the next one and keeps waiting for another.</summary>
    public static async Task<Results<Ok<SlotOfferResponse>, NotFound, ProblemHttpResult>> DeclineSlotOffer(Guid id,
        ClaimsPrincipal user, PatientSlotOffers offers, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Change, PatientWaitlist.ChangePurpose, id, ct);
        }

        var declined = await offers.DeclineAsync(patientId, id, ct);
        return declined switch
        {
            { Outcome: OfferAnswerOutcome.Answered, Answer: { } answer } => TypedResults.Ok(answer),
            { Outcome: OfferAnswerOutcome.NotFound } => TypedResults.NotFound(),
            _ => OfferClosed(declined.CurrentStatus!),
        };
    }

    private static ProblemHttpResult OfferClosed(string currentStatus)
    {
        var expired = currentStatus == SlotOfferStatuses.Expired;
        return AppointmentProblems.Conflict(
            expired ? "Время предложения истекло" : "Предложение уже закрыто",
            expired
                ? "Время, на которое для вас удерживалось это время приёма, истекло. Вы остаётесь в листе ожидания."
                : "На это предложение уже дан ответ.",
            expired ? "offer_expired" : "offer_closed",
            currentStatus);
    }

    private static ProblemHttpResult BookingFailed(BookingOutcome outcome) => outcome switch
    {
        BookingOutcome.SlotTaken or BookingOutcome.SlotNotFound or BookingOutcome.SlotInPast => AppointmentProblems.Conflict(
            "Время уже занято", "Это время приёма больше недоступно.", "slot_taken"),
        BookingOutcome.AppointmentNotFound or BookingOutcome.NotChangeable => AppointmentProblems.Conflict(
            "Запись не перенесена", "Запись, которую вы хотели перенести, уже отменена или не может быть изменена.",
            "appointment_not_changeable"),
        BookingOutcome.AccountNotConfirmed => AppointmentProblems.BusinessRule("account_not_confirmed",
            "Чтобы записаться к врачу, подтвердите учётную запись."),
        BookingOutcome.NoOmsPolicy => AppointmentProblems.BusinessRule("oms_policy_missing",
            "Чтобы записаться к врачу, добавьте полис ОМС в профиль."),
        BookingOutcome.OmsPolicyNotValid => AppointmentProblems.BusinessRule("oms_policy_not_valid",
            "Ваш полис ОМС не действует. Обновите данные полиса."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "Запись не выполнена."),
    };
}
