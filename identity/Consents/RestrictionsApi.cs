using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Delegations;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Consents;

/// <param name="Kind">organization or section.</param>
/// <param name="Section">One of Contracts' RecordSections; for an organization, null means the whole record.</param>
public sealed record AddRestrictionRequest(string? Kind, Guid? OrganizationId, string? OrganizationName, string? Section)
    : IJsonRequest<AddRestrictionRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<AddRestrictionRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["organizationId"] = "Идентификатор организации указывается в формате GUID.",
    };
}

public sealed record RestrictionView(
    Guid Id,
    string Kind,
    Guid? OrganizationId,
    string? OrganizationName,
    string? Section,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LiftedAt,
    bool Active)
{
    public static RestrictionView From(AccessRestriction r) =>
        new(r.Id, KindName(r.Kind), r.OrganizationId, r.OrganizationName, r.Section, r.CreatedAt, r.LiftedAt, r.LiftedAt is null);

    public static string KindName(AccessRestrictionKind kind) => kind == AccessRestrictionKind.Organization ? "organization" : "section";
}

public sealed record RestrictionsResponse(IReadOnlyList<RestrictionView> Items);

public sealed record RestrictionServices(
    IdentityDb Db,
    UserManager<HealthUser> Users,
    SecurityEvents Events,
    TimeProvider Time,
    ILogger<RestrictionServices> Logger);

/// <summary>
/// A patient's restrictions of who may see their record: a medical organization (the whole record or one section), or a
/// section hidden from every organization but the one that wrote it. Each change is published for every service to
/// keep and enforce (ServiceDefaults' Consents). Managed by the person themselves, or for a child by a guardian acting
/// with a manage delegation; not by a representative on a power of attorney.
/// </summary>
public static class RestrictionsApi
{
    public const string Route = "/api/v1/account/restrictions";
    public const int OrganizationNameLength = 300;

    private const string NotFoundDetail = "Ограничение доступа не найдено.";

    public static RouteGroupBuilder MapRestrictionsApi(this IEndpointRouteBuilder app)
    {
        var restrictions = app.MapGroup(Route).RequireAuthorization(AccountCaller.PersonPolicy).WithTags("Restrictions");
        restrictions.MapGet("/", ListAsync);
        restrictions.MapGet("/{id:guid}", GetAsync);
        restrictions.MapPost("/", AddAsync);
        restrictions.MapDelete("/{id:guid}", LiftAsync);
        return restrictions;
    }

    public static async Task<Results<Ok<RestrictionsResponse>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal token, [AsParameters] RestrictionServices s, CancellationToken ct)
    {
        if (await PatientOfAsync(token, s, ct) is not { } patientId) return NotAllowed();
        var items = await s.Db.AccessRestrictions.AsNoTracking()
            .Where(r => r.PatientId == patientId)
            .OrderByDescending(r => r.CreatedAt)
            .Take(500)
            .ToListAsync(ct);
        return TypedResults.Ok(new RestrictionsResponse(items.Select(RestrictionView.From).ToList()));
    }

    public static async Task<Results<Ok<RestrictionView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] RestrictionServices s, CancellationToken ct)
    {
        if (await PatientOfAsync(token, s, ct) is not { } patientId) return NotAllowed();
        var restriction = await s.Db.AccessRestrictions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        return restriction is null ? DelegationProblems.NotFound(NotFoundDetail) : TypedResults.Ok(RestrictionView.From(restriction));
    }

    public static async Task<Results<Created<RestrictionView>, ValidationProblem, ProblemHttpResult>> AddAsync(
        Json<AddRestrictionRequest> body, ClaimsPrincipal token, [AsParameters] RestrictionServices s, CancellationToken ct)
    {
        if (await PatientOfAsync(token, s, ct) is not { } patientId) return NotAllowed();
        var errors = Validate(body.Value, out var kind, out var organizationName);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = s.Time.GetUtcNow();
        await using var tx = await s.Db.Database.BeginTransactionAsync(ct);
        // Two equal requests at once must not both pass the duplicate check.
        await s.Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"restrictions:" + patientId}, 0))", ct);
        var duplicate = await s.Db.AccessRestrictions.AnyAsync(r => r.PatientId == patientId && r.LiftedAt == null && r.Kind == kind
                                                                   && r.OrganizationId == body.Value.OrganizationId && r.Section == body.Value.Section, ct);
        if (duplicate) return DelegationProblems.Conflict("already_restricted", "Такое ограничение доступа уже действует.");

        var restriction = new AccessRestriction
        {
            PatientId = patientId,
            Kind = kind,
            OrganizationId = kind == AccessRestrictionKind.Organization ? body.Value.OrganizationId : null,
            OrganizationName = organizationName,
            Section = body.Value.Section,
            CreatedAt = now,
        };
        s.Db.AccessRestrictions.Add(restriction);
        Publish(s, token, restriction, active: true, now);
        await s.Db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        s.Logger.LogInformation("Patient {PatientId} restricted access ({Kind}, restriction {RestrictionId})", patientId, kind, restriction.Id);
        return TypedResults.Created($"{Route}/{restriction.Id}", RestrictionView.From(restriction));
    }

    /// <summary>Lifts a restriction; the row stays (with LiftedAt) as the history of what was in force when.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> LiftAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] RestrictionServices s, CancellationToken ct)
    {
        if (await PatientOfAsync(token, s, ct) is not { } patientId) return NotAllowed();
        var restriction = await s.Db.AccessRestrictions.SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (restriction is null) return DelegationProblems.NotFound(NotFoundDetail);
        if (restriction.LiftedAt is not null) return TypedResults.NoContent();

        var now = s.Time.GetUtcNow();
        await using var tx = await s.Db.Database.BeginTransactionAsync(ct);
        // Conditional, so that of two concurrent lifts only one publishes.
        var lifted = await s.Db.AccessRestrictions.Where(r => r.Id == id && r.LiftedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LiftedAt, now), ct);
        if (lifted == 1)
        {
            restriction.LiftedAt = now;
            Publish(s, token, restriction, active: false, now);
            s.Db.Entry(restriction).State = EntityState.Unchanged; // already written by the UPDATE above
            await s.Db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Whose restrictions the token may manage: the person's own (no <c>act</c>), or a child's when the actor is the
    /// child's guardian under an active delegation with scope manage (checked in the database, not only the token).
    /// </summary>
    private static async Task<Guid?> PatientOfAsync(ClaimsPrincipal token, RestrictionServices s, CancellationToken ct)
    {
        if (!token.IsActingForSomeoneElse())
            return await AccountCaller.FindAsync(token, s.Users) is { } me ? me.Id : null;

        if (token.GetActorId() is not { } actorId || token.GetDelegationId() is not { } delegationId
            || !token.HasScope(HealthClaims.Scopes.DelegatedAppointments))
        {
            return null;
        }
        var patientId = token.GetSubjectId();
        var now = s.Time.GetUtcNow();
        var guardian = await s.Db.Delegations.AsNoTracking().AnyAsync(d => d.Id == delegationId && d.ActorId == actorId
            && d.PrincipalId == patientId && d.Kind == DelegationKind.Guardian && d.Scope == DelegationScope.Manage
            && d.RevokedAt == null && d.ValidFrom <= now && d.ValidTo > now, ct);
        return guardian ? patientId : null;
    }

    private static ProblemHttpResult NotAllowed() => DelegationProblems.Forbidden(DelegationProblems.OwnAccountOnlyReason,
        "Ограничения доступа к медицинской карте устанавливает сам пациент, а для ребёнка — его законный представитель.");

    private static Dictionary<string, string[]> Validate(AddRestrictionRequest request, out AccessRestrictionKind kind, out string? organizationName)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);
        kind = default;
        organizationName = string.IsNullOrWhiteSpace(request.OrganizationName) ? null : request.OrganizationName.Trim();

        if (request.Section is not null && !RecordSections.All.Contains(request.Section, StringComparer.Ordinal))
            Add("section", "Раздел карты: " + string.Join(", ", RecordSections.All) + ".");
        if (organizationName is { Length: > OrganizationNameLength })
            Add("organizationName", $"Название организации — не длиннее {OrganizationNameLength} символов.");

        switch (request.Kind)
        {
            case "organization":
                kind = AccessRestrictionKind.Organization;
                if (request.OrganizationId is null || request.OrganizationId == Guid.Empty)
                    Add("organizationId", "Укажите медицинскую организацию, которой закрывается доступ.");
                break;
            case "section":
                kind = AccessRestrictionKind.Section;
                if (request.Section is null) Add("section", "Укажите раздел карты, который скрывается.");
                if (request.OrganizationId is not null)
                    Add("organizationId", "Раздел скрывается от всех организаций; чтобы закрыть доступ одной организации, выберите вид organization.");
                if (organizationName is not null)
                    Add("organizationName", "Для скрытия раздела организация не указывается.");
                break;
            default:
                Add("kind", "Вид ограничения: organization (организация) или section (раздел карты).");
                break;
        }
        return errors;
    }

    private static void Publish(RestrictionServices s, ClaimsPrincipal token, AccessRestriction restriction, bool active, DateTimeOffset now)
    {
        var kind = RestrictionView.KindName(restriction.Kind);
        s.Db.AddOutboxEvent(new AccessRestrictionChanged(restriction.Id, restriction.PatientId, kind, restriction.OrganizationId,
            restriction.Section, active, now));
        var details = new Dictionary<string, string>
        {
            ["restriction_id"] = restriction.Id.ToString(),
            ["kind"] = kind,
            ["active"] = active ? "true" : "false",
        };
        if (restriction.OrganizationId is { } organizationId) details["organization_id"] = organizationId.ToString();
        if (restriction.Section is { } section) details["section"] = section;
        s.Events.Add(SecurityEventKinds.AccessRestrictionChanged, restriction.PatientId, SecurityEvents.Success, details,
            actorId: token.GetActorId(), clientId: token.GetClientId());
    }
}
