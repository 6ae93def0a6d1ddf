using Gosuslugi.Health.Identity.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Who and what an access token is for.</summary>
/// <param name="SessionId">The sign-in session (<c>sid</c>): ending it stops the token at once.</param>
/// <param name="AuthenticationMethods">RFC 8176 <c>amr</c> values of the session's sign-in.</param>
/// <param name="AccountLevel">simplified, standard or confirmed (<c>acc_level</c>); people only.</param>
/// <param name="PersonalDataConsent"><c>pd_consent</c>: patients only, "true" when their consent is in force.</param>
/// <param name="ActorId">RFC 8693 <c>act.sub</c>: the person acting for <paramref name="Subject"/> (token exchange).</param>
/// <param name="DelegationId"><c>del</c>: the delegation an acting token was issued under; revoking it deny-lists the id.</param>
/// <param name="Lifetime">Instead of the configured access-token lifetime (a delegated token's own, at most 24 hours).</param>
/// <param name="Name"><c>name</c> (family, given, middle): for staff of an organization, whom services name in the patient's access log.</param>
public sealed record AccessTokenRequest(
    string Subject,
    string ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Roles,
    Guid? OrganizationId = null,
    string? OrganizationName = null,
    string? Snils = null,
    DateTimeOffset? AuthTime = null,
    Guid? SessionId = null,
    IReadOnlyList<string>? AuthenticationMethods = null,
    string? AccountLevel = null,
    bool? PersonalDataConsent = null,
    Guid? ActorId = null,
    Guid? DelegationId = null,
    TimeSpan? Lifetime = null,
    string? Name = null);

public sealed record IssuedToken(string Token, TimeSpan Lifetime);

/// <summary>Signs access tokens (RFC 9068 JWT profile) and OpenID Connect ID tokens.</summary>
public sealed class TokenFactory(SigningKeyStore keys, IOptions<TokenServiceOptions> options, TimeProvider time)
{
    public const string AccessTokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IssuedToken> CreateAccessTokenAsync(AccessTokenRequest request, CancellationToken ct)
    {
        var o = options.Value;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.Subject,
            ["client_id"] = request.ClientId,
            [JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString(),
            ["scope"] = Scopes.Join(request.Scopes),
        };
        if (request.Roles.Count == 1) claims["role"] = request.Roles[0];
        else if (request.Roles.Count > 1) claims["role"] = request.Roles.ToList();
        if (request.OrganizationId is { } orgId) claims["org_id"] = orgId.ToString();
        if (request.OrganizationName is { } orgName) claims["org_name"] = orgName;
        if (!string.IsNullOrWhiteSpace(request.Name)) claims["name"] = request.Name;
        if (request.Snils is { } snils) claims["snils"] = snils;
        if (request.AuthTime is { } authTime) claims[JwtRegisteredClaimNames.AuthTime] = authTime.ToUnixTimeSeconds();
        AddSession(claims, request.SessionId, request.AuthenticationMethods);
        if (request.AccountLevel is { } level) claims["acc_level"] = level;
        if (request.PersonalDataConsent is { } consent) claims["pd_consent"] = consent ? "true" : "false";
        if (request.ActorId is { } actor) claims["act"] = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = actor.ToString() };
        if (request.DelegationId is { } delegation) claims["del"] = delegation.ToString();

        var lifetime = request.Lifetime ?? o.AccessTokenLifetime;
        var token = await SignAsync(AccessTokenType, o.Audience, lifetime, claims, ct);
        return new IssuedToken(token, lifetime);
    }

    /// <summary>An ID token (OpenID Connect Core §2) for the client itself: <c>aud</c> is its client_id.</summary>
    /// <remarks><c>sid</c> lets the client name the session at the end-session endpoint (id_token_hint).</remarks>
    public async Task<string> CreateIdTokenAsync(string subject, string clientId, DateTimeOffset authTime, string? nonce,
        Guid? sessionId, IReadOnlyList<string>? authenticationMethods, CancellationToken ct)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.AuthTime] = authTime.ToUnixTimeSeconds(),
        };
        if (!string.IsNullOrEmpty(nonce)) claims[JwtRegisteredClaimNames.Nonce] = nonce;
        AddSession(claims, sessionId, authenticationMethods);
        return await SignAsync(JwtConstants.HeaderType, clientId, options.Value.IdTokenLifetime, claims, ct);
    }

    private static void AddSession(Dictionary<string, object> claims, Guid? sessionId, IReadOnlyList<string>? authenticationMethods)
    {
        if (sessionId is { } sid) claims["sid"] = sid.ToString();
        // Always a JSON array (RFC 8176 §1), even with one method.
        if (authenticationMethods is { Count: > 0 } amr) claims["amr"] = amr.ToList();
    }

    private async Task<string> SignAsync(string type, string audience, TimeSpan lifetime, Dictionary<string, object> claims, CancellationToken ct)
    {
        var keySet = await keys.GetKeysAsync(ct);
        // Whole seconds, so that exp - iat is exactly the lifetime that expires_in announces.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = keySet.Signing,
        });
    }
}
