using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Api;

/// <summary>One access to the patient's record as the patient reads it.</summary>
/// <param name="Sequence">Position in the patient's chain (what /verify names when it finds a broken entry).</param>
/// <param name="OccurredAt">When, in UTC.</param>
/// <param name="OccurredAtMoscow">The same moment in Moscow time (UTC+3).</param>
/// <param name="OccurredAtText">The same, as a patient reads it: "22.11.2026 13:05 (МСК)".</param>
/// <param name="ActorRole">Code of the role (<see cref="AccessActorRoles"/>).</param>
/// <param name="Who">"Вы", "Ваш представитель", "Врач", "Медицинская организация", ...</param>
public sealed record AccessLogEntryView(
    long Sequence,
    DateTimeOffset OccurredAt,
    DateTimeOffset OccurredAtMoscow,
    string OccurredAtText,
    string ActorRole,
    string Who,
    string? ActorName,
    Guid? OrganizationId,
    string? OrganizationName,
    string Service,
    string ServiceName,
    string Section,
    string SectionName,
    Guid? ItemId,
    string Action,
    string ActionName,
    string Purpose,
    string Outcome,
    string OutcomeName,
    string? IpAddress)
{
    public static AccessLogEntryView From(AccessEventEntry e) => new(
        e.PatientSequence, e.OccurredAt, AccessLogWording.InMoscow(e.OccurredAt), AccessLogWording.MoscowText(e.OccurredAt),
        e.ActorRole, AccessLogWording.Who(e), e.ActorName, e.OrganizationId, e.OrganizationName,
        e.Service, AccessLogWording.Service(e.Service), e.Section, AccessLogWording.Section(e.Section), e.ItemId,
        e.Action, AccessLogWording.Action(e.Action), e.Purpose, e.Outcome, AccessLogWording.Outcome(e.Outcome), e.IpAddress);
}

/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null on the last page.</param>
public sealed record AccessLogPage(IReadOnlyList<AccessLogEntryView> Items, string? NextCursor);

/// <summary>Query of the access log; strings, so that each wrong value is named in a Russian validation problem.</summary>
public sealed record AccessLogQuery(string? From, string? To, string? ActorRole, string? OrganizationId, string? Section, string? Cursor, string? Limit);

/// <summary>
/// "Who looked at my record": the patient's access log (newest first, filtered, paged) and the check of its hash chain.
/// A representative with a full delegation reads the principal's log (the token's sub is the principal's); a limited
/// delegation does not open it. An admin may check any patient's chain, which tells integrity only, never contents.
/// </summary>
public static class AccessLogApi
{
    public const string Route = "/api/v1/audit";
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public const string ReadPurpose = "просмотр журнала доступа к медицинской карте";
    public const string VerifyPurpose = "проверка целостности журнала доступа";

    private static readonly string[] ActorRoles =
    [
        AccessActorRoles.Patient, AccessActorRoles.Representative, AccessActorRoles.Doctor,
        AccessActorRoles.MedicalOrganization, AccessActorRoles.Pharmacy, AccessActorRoles.Admin,
    ];

    public static RouteGroupBuilder MapAccessLogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Audit");
        api.MapGet("/access-log", ListAsync).RequireAuthorization(Policies.MedicalData).WithName("ListAccessLog");
        api.MapGet("/access-log/verify", VerifyOwnAsync).RequireAuthorization(Policies.MedicalData).WithName("VerifyAccessLog");
        api.MapGet("/patients/{patientId:guid}/access-log/verify", VerifyAnyAsync).RequireAuthorization(Policies.Admin)
            .WithName("VerifyPatientAccessLog");
        return api;
    }

    public static async Task<Results<Ok<AccessLogPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [AsParameters] AccessLogQuery query, HttpContext http, ClaimsPrincipal user, AuditDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefuseOrLogAsync(http, user, db, patientId, ReadPurpose, ct) is { } refusal) return refusal;

        var errors = new Dictionary<string, string[]>();
        var from = ParseBound(query.From, "from", endOfDay: false, errors);
        var to = ParseBound(query.To, "to", endOfDay: true, errors);
        if (from is not null && to is not null && from >= to) errors["to"] = ["Конец периода должен быть позже его начала."];
        if (query.ActorRole is { } role && !ActorRoles.Contains(role))
            errors["actorRole"] = [$"Укажите одну из ролей: {string.Join(", ", ActorRoles)}."];
        Guid? organizationId = null;
        if (query.OrganizationId is { } org)
        {
            if (Guid.TryParse(org, out var parsed)) organizationId = parsed;
            else errors["organizationId"] = ["Идентификатор организации указывается в формате UUID."];
        }
        if (query.Section is { } section && (section.Length is 0 or > 50))
            errors["section"] = ["Укажите раздел медицинской карты (не длиннее 50 символов)."];
        var limit = DefaultLimit;
        if (query.Limit is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [$"Число записей на странице — от 1 до {MaxLimit}."];
        Cursor? cursor = null;
        if (query.Cursor is { } cursorText && (cursor = Cursor.Parse(cursorText)) is null)
            errors["cursor"] = ["Курсор страницы повреждён: начните с первой страницы."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var entries = db.AccessEvents.AsNoTracking().Where(e => e.PatientId == patientId);
        if (from is { } f) entries = entries.Where(e => e.OccurredAt >= f);
        if (to is { } t) entries = entries.Where(e => e.OccurredAt < t);
        if (query.ActorRole is { } actorRole) entries = entries.Where(e => e.ActorRole == actorRole);
        if (organizationId is { } o) entries = entries.Where(e => e.OrganizationId == o);
        if (query.Section is { } s) entries = entries.Where(e => e.Section == s);
        if (cursor is { } c)
        {
            entries = entries.Where(e => e.OccurredAt < c.OccurredAt
                || (e.OccurredAt == c.OccurredAt && e.PatientSequence < c.Sequence));
        }

        var page = await entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.PatientSequence)
            .Take(limit + 1).ToListAsync(ct);
        var items = page.Take(limit).ToList();
        var next = page.Count > limit ? new Cursor(items[^1].OccurredAt, items[^1].PatientSequence).ToString() : null;
        return TypedResults.Ok(new AccessLogPage(items.Select(AccessLogEntryView.From).ToList(), next));
    }

    /// <summary>Re-checks the patient's own chain: {intact, entries, firstBrokenSequence}.</summary>
    public static async Task<Results<Ok<ChainVerification>, ProblemHttpResult>> VerifyOwnAsync(
        HttpContext http, ClaimsPrincipal user, AuditDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefuseOrLogAsync(http, user, db, patientId, VerifyPurpose, ct) is { } refusal) return refusal;
        return TypedResults.Ok(await PatientAccessChain.VerifyAsync(db, patientId, ct));
    }

    /// <summary>An operator's check of any patient's chain: integrity only, no entry's contents.</summary>
    public static async Task<Ok<ChainVerification>> VerifyAnyAsync(Guid patientId, AuditDb db, CancellationToken ct) =>
        TypedResults.Ok(await PatientAccessChain.VerifyAsync(db, patientId, ct));

    /// <summary>
    /// A limited delegation does not open the log (refused, and the refusal logged). A full delegation does, and the
    /// representative's look is logged: another person saw who accessed the record. The patient's own looks are not
    /// logged: each would add an entry to the very log being read, so it would grow on every look and drown the
    /// accesses the patient wants to see; and it tells the patient nothing they do not know.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefuseOrLogAsync(HttpContext http, ClaimsPrincipal user, AuditDb db,
        Guid patientId, string purpose, CancellationToken ct)
    {
        if (!user.CanReadWholeRecord())
        {
            await db.LogAccessAsync(http, patientId, AccessLogWording.AccessLogSection, AccessActions.Read, purpose,
                outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }
        if (user.IsActingForSomeoneElse())
            await db.LogAccessAsync(http, patientId, AccessLogWording.AccessLogSection, AccessActions.Read, purpose, ct: ct);
        return null;
    }

    /// <summary>A day "ГГГГ-ММ-ДД" (a Moscow calendar day; <c>to</c> includes it) or an exact ISO 8601 moment.</summary>
    private static DateTimeOffset? ParseBound(string? text, string field, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return MoscowTime.ToUtc(endOfDay ? day.AddDays(1) : day, TimeOnly.MinValue);
        }
        if (text.Length > 10 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
            return moment.ToUniversalTime();
        errors[field] = ["Дата указывается в формате ГГГГ-ММ-ДД."];
        return null;
    }

    /// <summary>Keyset position: the last entry of the page (time, then chain position for entries of the same moment).</summary>
    private sealed record Cursor(DateTimeOffset OccurredAt, long Sequence)
    {
        public override string ToString() =>
            Base64Url.EncodeToString(Encoding.ASCII.GetBytes(FormattableString.Invariant($"{OccurredAt.UtcTicks}.{Sequence}")));

        public static Cursor? Parse(string text)
        {
            try
            {
                var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
                return parts.Length == 2
                       && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                       && ticks <= DateTimeOffset.MaxValue.UtcTicks
                       && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                    ? new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), sequence)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
