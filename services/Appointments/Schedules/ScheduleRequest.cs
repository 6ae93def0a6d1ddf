using System.Globalization;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Appointments.Schedules;

/// <summary>
/// POST org/doctors/{externalId}/schedule. Dates and times are strings so that a malformed one is reported by its field
/// with a message the organization's developers can act on.
/// </summary>
public sealed record ScheduleRequest(string? From, string? To, int[]? Weekdays, string? Start, string? End, int? SlotMinutes,
    bool? Telemedicine, string? Room) : IJsonRequest<ScheduleRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<ScheduleRequest>.FormatMessages => FieldFormats;

    private static readonly Dictionary<string, string> FieldFormats = new()
    {
        ["weekdays"] = "Дни недели — массив чисел от 1 (понедельник) до 7 (воскресенье).",
        ["slotMinutes"] = "Длительность приёма — целое число минут.",
        ["telemedicine"] = "Признак telemedicine — true или false.",
    };
}

public static class ScheduleRequestValidator
{
    public const int RoomLength = 50;

    /// <summary>The schedule, or the errors by field (camelCase, Russian).</summary>
    public static Dictionary<string, string[]> Validate(ScheduleRequest request, out SlotSchedule? schedule)
    {
        var errors = new Dictionary<string, string[]>();
        schedule = null;

        var from = ParseDate(request.From, "from", errors);
        var to = ParseDate(request.To, "to", errors);
        if (from is { } f && to is { } t)
        {
            if (t < f)
            {
                errors["to"] = ["Дата окончания не может быть раньше даты начала."];
            }
            else if (t.DayNumber - f.DayNumber + 1 > SlotSchedule.MaxDays)
            {
                errors["to"] = [$"Расписание можно передать не больше чем на {SlotSchedule.MaxDays} дня за один запрос."];
            }
        }

        if (request.Weekdays is not { Length: > 0 } weekdays)
        {
            errors["weekdays"] = ["Укажите дни недели приёма: числа от 1 (понедельник) до 7 (воскресенье)."];
        }
        else if (weekdays.Any(d => d is < 1 or > 7))
        {
            errors["weekdays"] = ["Дни недели — числа от 1 (понедельник) до 7 (воскресенье)."];
        }

        var start = ParseTime(request.Start, "start", errors);
        var end = ParseTime(request.End, "end", errors);
        if (start is { } s && end is { } e && e <= s)
        {
            errors["end"] = ["Время окончания приёма должно быть позже времени начала."];
        }

        if (request.SlotMinutes is not { } minutes || minutes < SlotSchedule.MinSlotMinutes || minutes > SlotSchedule.MaxSlotMinutes)
        {
            errors["slotMinutes"] =
                [$"Укажите длительность приёма в минутах: от {SlotSchedule.MinSlotMinutes} до {SlotSchedule.MaxSlotMinutes}."];
        }
        else if (start is { } s2 && end is { } e2 && e2 > s2 && (e2 - s2).TotalMinutes < minutes)
        {
            errors["slotMinutes"] = ["Между началом и окончанием приёма не помещается ни одного приёма такой длительности."];
        }

        if (request.Room is { Length: > RoomLength })
        {
            errors["room"] = [$"Номер кабинета — не длиннее {RoomLength} символов."];
        }

        if (errors.Count == 0)
        {
            schedule = new SlotSchedule(from!.Value, to!.Value, request.Weekdays!.ToHashSet(), start!.Value, end!.Value,
                request.SlotMinutes!.Value);
        }

        return errors;
    }

    private static DateOnly? ParseDate(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Укажите дату в формате ГГГГ-ММ-ДД."];
            return null;
        }

        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors[field] = ["Дата должна быть в формате ГГГГ-ММ-ДД, например 2026-12-10."];
            return null;
        }

        return date;
    }

    private static TimeOnly? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Укажите время по Москве в формате ЧЧ:ММ."];
            return null;
        }

        if (!TimeOnly.TryParseExact(value.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors[field] = ["Время должно быть в формате ЧЧ:ММ (по Москве), например 08:00."];
            return null;
        }

        return time;
    }
}
