using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Sessions;

public sealed record SessionServices(IdentityDb Db, SessionStore Sessions, TokenDenyList DenyList, SecurityEvents Events, TimeProvider Time);

/// <summary>The client a session was started for.</summary>
public sealed record SessionClientView(string ClientId, string Name);

/// <summary>One active sign-in as the person sees it in their list.</summary>
/// <param name="Device">A readable description of the browser and system ("Chrome, Windows").</param>
/// <param name="Current">True for the session of the token that asked.</param>
public sealed record SessionView(
    Guid Id,
    SessionClientView? Client,
    string Device,
    string? UserAgent,
    string? IpAddress,
    IReadOnlyList<string> AuthenticationMethods,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    bool Current);

public sealed record SessionListView(IReadOnlyList<SessionView> Items);

public sealed record SessionsEndedView(int Ended);

/// <summary>
/// A person's sign-in sessions: the list of active ones with their devices, ending one or all of them, and signing out
/// (which also stops the presented access token at once). Only the person themself, with their own token.
/// </summary>
public static class SessionsApi
{
    public const string Route = "/api/v1/account";

    private const string NotFoundDetail = "Сеанс не найден. Возможно, он уже завершён.";
    private const string OwnSessionsOnlyDetail = "Сеансами управляет только владелец учётной записи, вошедший от своего имени.";

    /// <summary>A person's own bearer token: patient, doctor or operator.</summary>
    public static readonly AuthorizationPolicy PersonPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireRole(HealthRoles.PersonRoles)
        .RequireAssertion(c => Guid.TryParse(c.User.FindFirst(HealthClaims.Subject)?.Value, out _))
        .Build();

    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup(Route).RequireAuthorization(PersonPolicy).WithTags("Sessions");
        // A representative's token names the represented person in sub: their sessions are not the representative's business.
        account.AddEndpointFilter(async (context, next) =>
            context.HttpContext.User.IsActingForSomeoneElse()
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: OwnSessionsOnlyDetail)
                : await next(context));
        account.MapGet("/sessions", ListAsync);
        account.MapDelete("/sessions/{id:guid}", EndAsync);
        account.MapDelete("/sessions", EndAllAsync);
        account.MapPost("/signout", SignOutAsync);
        return account;
    }

    public static async Task<Ok<SessionListView>> ListAsync(HttpContext http, ClaimsPrincipal token, [AsParameters] SessionServices s, CancellationToken ct)
    {
        NoStore(http);
        var userId = token.GetSubjectId();
        var currentId = token.GetSessionId();
        var cutoff = s.Sessions.IdleCutoff;
        var rows = await s.Db.Sessions.AsNoTracking()
            .Where(x => x.UserId == userId && x.EndedAt == null && x.LastSeenAt > cutoff)
            .OrderByDescending(x => x.LastSeenAt)
            .Select(x => new
            {
                Session = x,
                ClientName = s.Db.Applications.Where(c => c.ClientId == x.ClientId).Select(c => c.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(new SessionListView(rows.Select(r => new SessionView(
            r.Session.Id,
            r.Session.ClientId is { } clientId ? new SessionClientView(clientId, r.ClientName ?? clientId) : null,
            DeviceNames.Describe(r.Session.UserAgent),
            r.Session.UserAgent,
            r.Session.IpAddress,
            r.Session.AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            r.Session.CreatedAt,
            r.Session.LastSeenAt,
            r.Session.Id == currentId)).ToList()));
    }

    /// <summary>Ends one of the person's sessions; another person's session is "not found", whether it exists or not.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> EndAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] SessionServices s, CancellationToken ct)
    {
        var userId = token.GetSubjectId();
        var session = await s.Db.Sessions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id && x.UserId == userId, ct);
        if (session is null) return NotFound();
        await s.Sessions.EndAsync(session.Id, session.Id == token.GetSessionId() ? SessionEndReasons.SignedOut : SessionEndReasons.EndedByUser, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Ends every session of the person, or every other one with <paramref name="keepCurrent"/>.</summary>
    public static async Task<Ok<SessionsEndedView>> EndAllAsync(
        bool? keepCurrent, ClaimsPrincipal token, [AsParameters] SessionServices s, CancellationToken ct)
    {
        var except = keepCurrent == true ? token.GetSessionId() : null;
        var ended = await s.Sessions.EndAllAsync(token.GetSubjectId(), SessionEndReasons.EndedAll, except, ct);
        return TypedResults.Ok(new SessionsEndedView(ended));
    }

    /// <summary>
    /// Signs out: ends the token's session (its refresh tokens are revoked and its access tokens stop), and puts the
    /// presented access token itself on the deny-list until it expires, so that it stops even if it had no session.
    /// </summary>
    public static async Task<NoContent> SignOutAsync(ClaimsPrincipal token, [AsParameters] SessionServices s, CancellationToken ct)
    {
        var userId = token.GetSubjectId();
        if (token.FindFirst(HealthClaims.TokenId)?.Value is { Length: > 0 } jti
            && long.TryParse(token.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            await s.DenyList.DenyTokenAsync(jti, DateTimeOffset.FromUnixTimeSeconds(exp), ct);
        }

        var sessionId = token.GetSessionId();
        var ended = sessionId is { } sid
                    && await s.Db.Sessions.AnyAsync(x => x.Id == sid && x.UserId == userId, ct)
                    && await s.Sessions.EndAsync(sid, SessionEndReasons.SignedOut, ct);
        if (!ended)
        {
            // Nothing was left to end (a token from before sessions, or signed out already): the sign-out is still a fact.
            await s.Events.PublishAsync(SecurityEventKinds.SignedOut, userId, clientId: token.GetClientId(),
                details: sessionId is null ? null : new Dictionary<string, string> { ["session_id"] = sessionId.Value.ToString() }, ct: ct);
        }
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: NotFoundDetail);

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
