using Gosuslugi.Health.Appointments.Booking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>How a booking, move or cancellation is answered; a refusal says what happened and what to do.</summary>
public static class BookingAnswers
{
    public const string SlotTakenReason = "slot_taken";
    public const string AccountNotConfirmedReason = "account_not_confirmed";
    public const string NoOmsPolicyReason = "oms_policy_missing";
    public const string OmsPolicyNotValidReason = "oms_policy_not_valid";

    /// <summary>A <see cref="ProblemDetails"/> rather than a result, so that a booking's can be stored for its retries.</summary>
    public static ProblemDetails ProblemOf(BookingOutcome outcome) => outcome switch
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

    /// <summary>A move or a cancellation: the appointment as it became, or the problem of the refusal.</summary>
    public static Results<Ok<TView>, ValidationProblem, ProblemHttpResult> Of<TView>(ChangedAppointment<TView> changed)
        where TView : class =>
        changed is { Outcome: BookingOutcome.Done, Appointment: { } appointment }
            ? TypedResults.Ok(appointment)
            : TypedResults.Problem(ProblemOf(changed.Outcome));

    private static ProblemDetails Details(int status, string title, string reason, string detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Extensions = { ["reason"] = reason },
    };
}
