using System.Globalization;
using System.Text;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.WebUtilities;

namespace Gosuslugi.Health.Appointments.Schedules;

/// <summary>
/// The query string of GET /api/v1/appointments/slots. All strings, so that a malformed value is a 400 naming its field
/// in Russian rather than the framework's bare 400.
/// </summary>
public sealed record SlotSearchQuery(string? Specialty, string? DoctorId, string? OrganizationId, string? From, string? To,
    string? Telemedicine, string? Limit, string? Cursor);

/// <summary>What a slot search asks for, read from <see cref="SlotSearchQuery"/>.</summary>
public sealed record SlotSearchFilter(string? Specialty, Guid? DoctorId, Guid? OrganizationId, DateTimeOffset? From,
    DateTimeOffset? To, bool? Telemedicine, int Limit, SlotCursor? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The filter, or null with the errors by field (camelCase, Russian).</summary>
    public static SlotSearchFilter? Parse(SlotSearchQuery query, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        if (query.Specialty is not null && !Specialties.Names.ContainsKey(query.Specialty))
        {
            errors["specialty"] = ["Неизвестная специальность: выберите её из справочника специальностей."];
        }

        // Every search is bounded by one of the slot indexes: (SpecialtyCode, StartsAt), (OrganizationId, StartsAt) or
        // (DoctorId, StartsAt); a search of all the country's slots is not offered.
        var doctorId = ParseGuid(query.DoctorId, "doctorId", "Идентификатор врача указан неверно.", errors);
        var organizationId = ParseGuid(query.OrganizationId, "organizationId", "Идентификатор организации указан неверно.", errors);
        bool? telemedicine = null;
        if (!string.IsNullOrWhiteSpace(query.Telemedicine))
        {
            if (bool.TryParse(query.Telemedicine.Trim(), out var flag))
            {
                telemedicine = flag;
            }
            else
            {
                errors["telemedicine"] = ["Признак telemedicine — true (онлайн-консультация) или false (приём в кабинете)."];
            }
        }

        if (query.Specialty is null && query.DoctorId is null && query.OrganizationId is null)
        {
            errors["specialty"] = ["Укажите специальность, врача или медицинскую организацию."];
        }

        var from = ParseBound(query.From, "from", endOfDay: false, errors);
        var to = ParseBound(query.To, "to", endOfDay: true, errors);
        if (from is not null && to is not null && to <= from)
        {
            errors["to"] = ["Конец периода должен быть позже его начала."];
        }

        var limit = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(query.Limit) && (!int.TryParse(query.Limit.Trim(), out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Число слотов на странице — от 1 до {MaxLimit}."];
        }

        SlotCursor? cursor = null;
        if (query.Cursor is not null && !SlotCursor.TryParse(query.Cursor, out cursor))
        {
            errors["cursor"] = ["Курсор страницы указан неверно: передайте nextCursor из предыдущего ответа."];
        }

        return errors.Count > 0
            ? null
            : new SlotSearchFilter(query.Specialty, doctorId, organizationId, from, to, telemedicine, limit, cursor);
    }

    private static Guid? ParseGuid(string? value, string field, string message, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParse(value.Trim(), out var id))
        {
            return id;
        }

        errors[field] = [message];
        return null;
    }

    /// <summary>An instant (2026-12-10T08:00:00Z) or a Moscow date (2026-12-10: its start for from, its end for to).</summary>
    private static DateTimeOffset? ParseBound(string? value, string field, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var (dayFrom, dayTo) = MoscowTime.DayBounds(date);
            return endOfDay ? dayTo : dayFrom;
        }

        // An instant must say its offset: a bare local time would be read in the server's zone.
        if (text.Length > 10 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant.ToUniversalTime();
        }

        errors[field] = ["Укажите дату (ГГГГ-ММ-ДД, по Москве) или момент времени с часовым поясом (ISO 8601)."];
        return null;
    }
}

/// <summary>The last slot of a page: the next page starts after it. Opaque to clients (base64url).</summary>
public sealed record SlotCursor(DateTimeOffset StartsAt, Guid Id)
{
    public override string ToString() =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{StartsAt.UtcTicks}:{Id:N}"));

    public static bool TryParse(string value, out SlotCursor? cursor)
    {
        cursor = null;
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(value));
            var parts = text.Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks >= DateTimeOffset.MinValue.UtcTicks
                && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new SlotCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
