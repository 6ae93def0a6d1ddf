using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Sessions;

/// <summary>Why a session ended (<see cref="UserSession.EndReason"/>): shown to the person and kept for audit.</summary>
public static class SessionEndReasons
{
    /// <summary>The person signed out in the application (the session's own token, or the end-session endpoint).</summary>
    public const string SignedOut = "signed_out";

    /// <summary>The person ended this session from their list of sessions.</summary>
    public const string EndedByUser = "ended_by_user";

    /// <summary>The person ended all (other) sessions.</summary>
    public const string EndedAll = "ended_all";

    public const string PasswordChanged = "password_changed";
    public const string ConsentWithdrawn = "consent_withdrawn";

    /// <summary>An operator locked the account or took a role away.</summary>
    public const string Admin = "admin";

    /// <summary>A refresh token of the session was used twice: it leaked, so the whole session is distrusted.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";
}

/// <summary>
/// Sign-in sessions (<see cref="UserSession"/>): one per sign-in on one device, the <c>sid</c> of every token issued
/// from it. Ending one revokes its refresh tokens and puts its sid on the deny-list, so that its access tokens stop
/// at the gateway and in every service at once, not when they expire.
/// </summary>
/// <remarks>
/// Scoped over the request's <see cref="IdentityDb"/>: changes the caller has pending (a security event) are saved
/// with the session's, in the same transaction.
/// </remarks>
public sealed class SessionStore(
    IdentityDb db,
    TokenDenyList denyList,
    SecurityEvents events,
    IHttpContextAccessor http,
    IOptions<TokenServiceOptions> options,
    TimeProvider time,
    ILogger<SessionStore> logger)
{
    private const int MaxUserAgentLength = 500;
    private const int MaxIpAddressLength = 64;
    private const int MaxMethodsLength = 100;

    /// <summary>
    /// A session not seen for longer than a refresh token lives can no longer produce tokens (its cookie is gone
    /// long before): it is not shown as active, though it was never ended explicitly.
    /// </summary>
    public DateTimeOffset IdleCutoff => time.GetUtcNow() - options.Value.RefreshTokenLifetime;

    /// <summary>
    /// Starts a session after the person proved who they are (password and second factor). The caller puts its id
    /// (claim <c>sid</c>) and <paramref name="amr"/> into the sign-in cookie. IP address and User-Agent come from the
    /// current request.
    /// </summary>
    public async Task<UserSession> StartAsync(HealthUser user, string? clientId, IReadOnlyList<string> amr, CancellationToken ct)
    {
        var request = http.HttpContext;
        var now = time.GetUtcNow();
        var session = new UserSession
        {
            UserId = user.Id,
            ClientId = clientId,
            AuthenticationMethods = Truncate(string.Join(' ', amr.Distinct(StringComparer.Ordinal)), MaxMethodsLength) ?? "",
            IpAddress = Truncate(request?.Connection.RemoteIpAddress?.ToString(), MaxIpAddressLength),
            UserAgent = Truncate(request?.Request.Headers.UserAgent.ToString(), MaxUserAgentLength),
            CreatedAt = now,
            LastSeenAt = now,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Session {SessionId} started for user {UserId} ({Methods})", session.Id, user.Id, session.AuthenticationMethods);
        return session;
    }

    /// <summary>
    /// Whether the person has signed in before from this request's browser and address: an earlier session (ended or
    /// not) with the same User-Agent and IP address. Both can be forged or change, so this only tells a familiar
    /// device from a new one for a notice, never lets anyone skip a step.
    /// </summary>
    public Task<bool> SignedInFromHereBeforeAsync(Guid userId, CancellationToken ct)
    {
        var request = http.HttpContext;
        var ipAddress = Truncate(request?.Connection.RemoteIpAddress?.ToString(), MaxIpAddressLength);
        var userAgent = Truncate(request?.Request.Headers.UserAgent.ToString(), MaxUserAgentLength);
        return db.Sessions.AsNoTracking().AnyAsync(s => s.UserId == userId && s.IpAddress == ipAddress && s.UserAgent == userAgent, ct);
    }

    /// <summary>The session, when it exists, has not ended and is not idle past <see cref="IdleCutoff"/>.</summary>
    public Task<UserSession?> FindActiveAsync(Guid sessionId, CancellationToken ct)
    {
        var cutoff = IdleCutoff;
        return db.Sessions.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == sessionId && s.EndedAt == null && s.LastSeenAt > cutoff, ct);
    }

    /// <summary>
    /// The session if it is alive, marked as used now (a refresh token was rotated), in one statement; null when it has
    /// ended or gone idle.
    /// </summary>
    public async Task<UserSession?> TouchActiveAsync(Guid sessionId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = IdleCutoff;
        var touched = await db.Sessions.FromSql($"""
            UPDATE sessions SET last_seen_at = {now}
            WHERE id = {sessionId} AND ended_at IS NULL AND last_seen_at > {cutoff}
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        return touched.SingleOrDefault();
    }

    /// <summary>The person used the session (a code was issued from it, a refresh token was rotated).</summary>
    public Task TouchAsync(Guid sessionId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
    }

    /// <summary>
    /// Ends one session: marks it ended, revokes its refresh tokens and deny-lists its sid. Idempotent: ending an
    /// ended session writes the deny-list entry again (a retry after Redis failed) and returns false.
    /// </summary>
    /// <param name="reason">One of <see cref="SessionEndReasons"/>.</param>
    /// <returns>True when this call ended it.</returns>
    public async Task<bool> EndAsync(Guid sessionId, string reason, CancellationToken ct)
    {
        var ended = await EndInDatabaseAsync([sessionId], reason, ct);
        await denyList.DenySessionAsync(sessionId, ct);
        return ended.Count > 0;
    }

    /// <summary>
    /// Ends every active session of a person except <paramref name="exceptSessionId"/> (and so their refresh tokens).
    /// </summary>
    /// <returns>How many sessions were ended.</returns>
    public async Task<int> EndAllAsync(Guid userId, string reason, Guid? exceptSessionId, CancellationToken ct)
    {
        var ids = await db.Sessions
            .Where(s => s.UserId == userId && s.EndedAt == null && s.Id != exceptSessionId)
            .Select(s => s.Id)
            .ToListAsync(ct);
        var ended = await EndInDatabaseAsync(ids, reason, ct);
        // Idle sessions are ended too: their access tokens are long expired, but the deny-list entry costs nothing.
        foreach (var id in ids) await denyList.DenySessionAsync(id, ct);
        return ended.Count;
    }

    /// <summary>The <c>sid</c> of the sign-in cookie's principal (or of a token), or null.</summary>
    public static Guid? SessionIdOf(ClaimsPrincipal principal) => principal.GetSessionId();

    private async Task<IReadOnlyList<UserSession>> EndInDatabaseAsync(
        IReadOnlyList<Guid> sessionIds, string reason, CancellationToken ct)
    {
        if (sessionIds.Count == 0) return [];
        var now = time.GetUtcNow();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Row locks: of two concurrent ends of one session, only one records it ended.
            var sessions = sessionIds.Count == 0
                ? []
                : await db.Sessions
                    .FromSql($"SELECT * FROM sessions WHERE id = ANY({sessionIds.ToArray()}) AND ended_at IS NULL FOR UPDATE")
                    .ToListAsync(ct);
            foreach (var session in sessions)
            {
                session.EndedAt = now;
                session.EndReason = reason;
                events.Add(reason == SessionEndReasons.SignedOut ? SecurityEventKinds.SignedOut : SecurityEventKinds.SessionEnded,
                    session.UserId, details: new Dictionary<string, string> { ["session_id"] = session.Id.ToString(), ["reason"] = reason },
                    clientId: session.ClientId);
            }

            // Every refresh token names its session (sid): the token endpoint refuses one whose session has ended and
            // revokes its grant then (TokenGrants), so nothing else is revoked here.
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);

            if (sessions.Count > 0) logger.LogInformation("Ended {Sessions} sessions ({Reason})", sessions.Count, reason);
            return (IReadOnlyList<UserSession>)sessions;
        });
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
