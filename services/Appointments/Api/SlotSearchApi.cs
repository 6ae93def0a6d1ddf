using System.Security.Claims;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>
/// The query string of GET /api/v1/appointments/slots. All strings, so that a malformed value is a 400 naming its field
/// in Russian rather than the framework's bare 400.
/// </summary>
public sealed record SlotSearchQuery(string? Specialty, string? DoctorId, string? OrganizationId, string? From, string? To,
    string? Telemedicine, string? Limit, string? Cursor);

public sealed record SlotDoctor(Guid Id, string Name, string Specialty, string SpecialtyName);

public sealed record SlotOrganization(Guid Id, string Name, string Address, string Phone);

public sealed record SlotDepartment(Guid Id, string Name);

public sealed record SlotResponse(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Telemedicine, string? Room,
    SlotDoctor Doctor, SlotOrganization Organization, SlotDepartment? Department);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last one.</param>
public sealed record SlotSearchResponse(IReadOnlyList<SlotResponse> Items, string? NextCursor);

/// <summary>Free slots a patient may book, earliest first, a page at a time.</summary>
public static class SlotSearchApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapSlotSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/appointments").WithTags("Slots").RequireAuthorization();
        api.MapGet("/slots", SearchSlots).WithName(nameof(SearchSlots));
        return api;
    }

    /// <summary>
    /// Free future slots: no booked appointment on them, not closed by the organization, not held by a waitlist offer
    /// for another patient (the patient the offer is for does see it), of an active doctor. Ordered by (startsAt, id),
    /// paged by a keyset cursor so that a page never repeats or skips a slot while others book.
    /// </summary>
    public static async Task<Results<Ok<SlotSearchResponse>, ValidationProblem, ProblemHttpResult>> SearchSlots(
        [AsParameters] SlotSearchQuery query, ClaimsPrincipal user, AppointmentsDb db, TimeProvider time,
        CancellationToken ct)
    {
        // Slots are not a patient's data, but the search is the first step of booking, which only a patient (or a
        // representative allowed to manage appointments) does.
        if (!user.CanManageAppointments())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Доступ запрещён",
                detail: "Искать свободное время для записи к врачу может пациент или его представитель с правом записи.");
        }

        var errors = new Dictionary<string, string[]>();
        if (query.Specialty is not null && !Specialties.Names.ContainsKey(query.Specialty))
        {
            errors["specialty"] = ["Неизвестная специальность: выберите её из справочника специальностей."];
        }

        // Every search is bounded by one of the slot indexes: (SpecialtyCode, StartsAt), (OrganizationId, StartsAt) or
        // (DoctorId, StartsAt); a search of all the country's slots is not offered.
        var doctorFilter = ParseGuid(query.DoctorId, "doctorId", "Идентификатор врача указан неверно.", errors);
        var organizationFilter = ParseGuid(query.OrganizationId, "organizationId", "Идентификатор организации указан неверно.", errors);
        bool? telemedicineFilter = null;
        if (!string.IsNullOrWhiteSpace(query.Telemedicine))
        {
            if (bool.TryParse(query.Telemedicine.Trim(), out var flag))
            {
                telemedicineFilter = flag;
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

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var patientId = user.GetSubjectId();
        var now = time.GetUtcNow();
        var startsAfter = from is { } f && f > now ? f : now;

        var slots = db.Slots.AsNoTracking().Where(s => !s.Closed && s.StartsAt >= startsAfter && s.StartsAt > now);
        if (query.Specialty is { } specialty)
        {
            slots = slots.Where(s => s.SpecialtyCode == specialty);
        }

        if (doctorFilter is { } doctorId)
        {
            slots = slots.Where(s => s.DoctorId == doctorId);
        }

        if (organizationFilter is { } organizationId)
        {
            slots = slots.Where(s => s.OrganizationId == organizationId);
        }

        if (to is { } until)
        {
            slots = slots.Where(s => s.StartsAt < until);
        }

        if (telemedicineFilter is { } telemedicine)
        {
            slots = slots.Where(s => s.Telemedicine == telemedicine);
        }

        if (cursor is { } after)
        {
            // A row comparison, so that PostgreSQL orders and compares the uuids alike; the plain bound on StartsAt lets
            // the (…, StartsAt) indexes start the scan at the cursor.
            slots = slots.Where(s => s.StartsAt >= after.StartsAt
                                     && EF.Functions.GreaterThan(ValueTuple.Create(s.StartsAt, s.Id), ValueTuple.Create(after.StartsAt, after.Id)));
        }

        // Taken: a booked appointment (the partial unique index ux_appointments_booked_slot answers it per slot).
        slots = slots.Where(s => !db.Appointments.Any(a => a.SlotId == s.Id && a.Status == AppointmentStatuses.Booked));
        // Held for someone else by a waitlist offer still open.
        slots = slots.Where(s => !db.SlotOffers.Any(o => o.SlotId == s.Id && o.Status == SlotOfferStatuses.Open
                                                         && o.ExpiresAt > now && o.PatientId != patientId));
        slots = slots.Where(s => s.HeldForOfferId == null || s.HeldUntil == null || s.HeldUntil <= now
                                 || db.SlotOffers.Any(o => o.Id == s.HeldForOfferId && o.PatientId == patientId));

        var page = await (
                from s in slots
                join d in db.Doctors on s.DoctorId equals d.Id
                join o in db.Organizations on s.OrganizationId equals o.Id
                join dep in db.Departments on s.DepartmentId equals (Guid?)dep.Id into departments
                from dep in departments.DefaultIfEmpty()
                where d.Active
                orderby s.StartsAt, s.Id
                select new
                {
                    Slot = s,
                    Doctor = new { d.Id, d.FamilyName, d.GivenName, d.MiddleName },
                    Organization = new SlotOrganization(o.Id, o.Name, o.Address, o.Phone),
                    Department = dep == null ? null : new SlotDepartment(dep.Id, dep.Name),
                })
            .Take(limit + 1)
            .ToListAsync(ct);

        var items = page.Take(limit).Select(r => new SlotResponse(r.Slot.Id, r.Slot.StartsAt, r.Slot.EndsAt, r.Slot.Telemedicine,
                r.Slot.Room,
                new SlotDoctor(r.Doctor.Id, FullName(r.Doctor.FamilyName, r.Doctor.GivenName, r.Doctor.MiddleName),
                    r.Slot.SpecialtyCode, Specialties.NameOf(r.Slot.SpecialtyCode)),
                r.Organization, r.Department))
            .ToList();
        var nextCursor = page.Count > limit ? new SlotCursor(items[^1].StartsAt, items[^1].Id).ToString() : null;
        return TypedResults.Ok(new SlotSearchResponse(items, nextCursor));
    }

    private static string FullName(string familyName, string givenName, string? middleName) =>
        string.Join(' ', new[] { familyName, givenName, middleName }.Where(p => !string.IsNullOrWhiteSpace(p)));

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
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date))
        {
            var (dayFrom, dayTo) = MoscowTime.DayBounds(date);
            return endOfDay ? dayTo : dayFrom;
        }

        // An instant must say its offset: a bare local time would be read in the server's zone.
        if (text.Length > 10 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var instant))
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
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(
            System.Text.Encoding.UTF8.GetBytes($"{StartsAt.UtcTicks}:{Id:N}"));

    public static bool TryParse(string value, out SlotCursor? cursor)
    {
        cursor = null;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(value));
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
