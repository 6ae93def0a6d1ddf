using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Api;

/// <summary>One security event as its subject sees it: what happened, when, from where, by whom, with what outcome.</summary>
public sealed record SecurityEventView(
    long Sequence,
    Guid EventId,
    string Kind,
    string Outcome,
    DateTimeOffset OccurredAt,
    Guid? SubjectId,
    Guid? ActorId,
    string? ClientId,
    string? IpAddress,
    string? UserAgent,
    IReadOnlyDictionary<string, string> Details)
{
    public static SecurityEventView From(SecurityEventEntry e) => new(e.Sequence, e.EventId, e.Kind, e.Outcome, e.OccurredAt,
        e.SubjectId, e.ActorId, e.ClientId, e.IpAddress, e.UserAgent,
        JsonSerializer.Deserialize<Dictionary<string, string>>(e.Details) ?? []);
}

/// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
public sealed record SecurityEventsPage(IReadOnlyList<SecurityEventView> Items, long? NextBefore);

public sealed record SecurityEventsQuery(Guid? SubjectId, long? Before, int? Limit);

/// <summary>
/// A person's security events (sign-ins, lockouts, factor changes, delegations, consents). They carry no medical data,
/// so an operator (admin) may read anyone's; a patient reads only their own, with their own token (not a delegated one).
/// </summary>
public static class SecurityEventsApi
{
    public const string Route = "/api/v1/audit/security-events";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly AuthorizationPolicy OwnerOrAdmin = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(c => IsPatientOwnToken(c.User) || c.User.IsInRole(HealthClaims.Roles.Admin))
        .Build();

    public static RouteGroupBuilder MapSecurityEventsApi(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup(Route).WithTags("Audit");
        events.MapGet("/", ListAsync).RequireAuthorization(OwnerOrAdmin);
        events.MapGet("/verify", VerifyAsync).RequireAuthorization(Policies.Admin);
        return events;
    }

    public static async Task<Results<Ok<SecurityEventsPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [AsParameters] SecurityEventsQuery query, ClaimsPrincipal user, AuditDb db, CancellationToken ct)
    {
        var admin = user.IsInRole(HealthClaims.Roles.Admin);
        Guid subjectId;
        if (admin && !IsPatientOwnToken(user))
        {
            if (query.SubjectId is not { } requested) return Problems.Validation("subjectId", "Укажите, чей журнал показать (subjectId).");
            subjectId = requested;
        }
        else
        {
            subjectId = user.GetSubjectId();
            if (query.SubjectId is { } requested && requested != subjectId)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                    detail: "Журнал безопасности доступен только владельцу учётной записи.");
            }
        }

        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) return Problems.Validation("limit", $"Число записей на странице — от 1 до {MaxLimit}.");

        var events = db.SecurityEvents.AsNoTracking().Where(e => e.SubjectId == subjectId);
        if (query.Before is { } before) events = events.Where(e => e.Sequence < before);
        var page = await events.OrderByDescending(e => e.Sequence).Take(limit + 1).ToListAsync(ct);
        var items = page.Take(limit).Select(SecurityEventView.From).ToList();
        return TypedResults.Ok(new SecurityEventsPage(items, page.Count > limit ? items[^1].Sequence : null));
    }

    /// <summary>Recomputes the whole chain: an operator's check that nobody changed the log behind the service's back.</summary>
    public static async Task<Ok<ChainVerification>> VerifyAsync(AuditDb db, CancellationToken ct) =>
        TypedResults.Ok(await SecurityEventChain.VerifyAsync(db, ct));

    /// <summary>A person's own token for their own data: role patient, scope health, not acting for someone else.</summary>
    private static bool IsPatientOwnToken(ClaimsPrincipal user) =>
        user.IsInRole(HealthClaims.Roles.Patient) && user.HasScope(HealthClaims.Scopes.Health) && !user.IsActingForSomeoneElse();
}
