using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>
/// Access tokens that must stop working before they expire, kept in Redis and shared by identity (which writes it on
/// sign-out, when a session ends and when a delegation is revoked) and by the gateway and every service (which check
/// it after a token's signature and lifetime are valid, see <see cref="AuthenticationExtensions"/>).
/// <para>
/// Three kinds of entries, so one write stops every token they cover:
/// <c>deny:jti:{jti}</c> one token, until it expires; <c>deny:sid:{sid}</c> every token of a sign-in session;
/// <c>deny:del:{id}</c> every token issued under a delegation. Session and delegation entries live 25 hours: longer
/// than any access token lives (a delegated token at most 24 hours), so no token they cover outlives them.
/// </para>
/// <para>
/// When Redis cannot answer, callers of <see cref="IsDeniedAsync"/> get the exception: token validation then refuses
/// the request with 503 (fail closed) rather than letting a possibly revoked token through.
/// </para>
/// </summary>
public sealed class TokenDenyList(IKeyValueStore store, TimeProvider time)
{
    /// <summary>Life of session and delegation entries: above the 24-hour cap on any access token, plus clock skew.</summary>
    public static readonly TimeSpan SessionAndDelegationEntryLifetime = TimeSpan.FromHours(25);

    /// <summary>A token entry outlives the token by the clock skew that validation tolerates.</summary>
    public static readonly TimeSpan ClockSkew = AuthenticationExtensions.ClockSkew;

    public static string TokenKey(string jti) => "deny:jti:" + jti;

    public static string SessionKey(Guid sessionId) => "deny:sid:" + sessionId.ToString("D");

    public static string DelegationKey(Guid delegationId) => "deny:del:" + delegationId.ToString("D");

    /// <summary>Stops one access token (its <c>jti</c>) until it would expire anyway.</summary>
    public async Task DenyTokenAsync(string jti, DateTimeOffset expiresAt, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jti);
        var remaining = expiresAt + ClockSkew - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero) return; // validation refuses it already
        await store.SetAsync(TokenKey(jti), Now(), remaining, ct);
    }

    /// <summary>Stops every access token of a sign-in session (claim <c>sid</c>).</summary>
    public Task DenySessionAsync(Guid sessionId, CancellationToken ct) =>
        store.SetAsync(SessionKey(sessionId), Now(), SessionAndDelegationEntryLifetime, ct);

    /// <summary>Stops every access token issued under a delegation (claim <c>del</c>).</summary>
    public Task DenyDelegationAsync(Guid delegationId, CancellationToken ct) =>
        store.SetAsync(DelegationKey(delegationId), Now(), SessionAndDelegationEntryLifetime, ct);

    /// <summary>
    /// True when the token's <c>jti</c>, <c>sid</c> or <c>del</c> is on the list: one round trip (EXISTS k1 k2 k3).
    /// Throws when Redis does not answer; the caller decides to fail closed.
    /// </summary>
    public async Task<bool> IsDeniedAsync(ClaimsPrincipal token, CancellationToken ct)
    {
        var keys = KeysOf(token);
        return keys.Count > 0 && await store.ExistsAsync(keys, ct) > 0;
    }

    /// <summary>The deny-list keys that could stop this token.</summary>
    public static IReadOnlyList<string> KeysOf(ClaimsPrincipal token)
    {
        var keys = new List<string>(3);
        if (token.FindFirst(HealthClaims.TokenId)?.Value is { Length: > 0 } jti) keys.Add(TokenKey(jti));
        // Ids are written from Guids; reading through Guid makes "ABC..." and "abc..." the same entry.
        if (token.GetSessionId() is { } sessionId) keys.Add(SessionKey(sessionId));
        if (token.GetDelegationId() is { } delegationId) keys.Add(DelegationKey(delegationId));
        return keys;
    }

    private string Now() => time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>The deny-list could not be read, so a token could not be checked: the request is refused with 503.</summary>
public sealed class TokenDenyListUnavailableException(Exception inner)
    : Exception("The token deny-list (Redis) did not answer.", inner);
