using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>The grants of the token endpoint (RFC 6749 §4.1.3, §4.4, §6) and revocation (RFC 7009).</summary>
public sealed class TokenGrants(
    IdentityDb db,
    UserManager<HealthUser> users,
    TokenFactory tokens,
    PersonClaims personClaims,
    SessionStore sessions,
    OwnTokenReader ownTokens,
    TokenDenyList denyList,
    IOptions<TokenServiceOptions> options,
    TimeProvider time,
    ILogger<TokenGrants> logger)
{
    private TokenServiceOptions Options => options.Value;

    public async Task<GrantResult> AuthorizationCodeAsync(OAuthClient client, OAuthParameters p, CancellationToken ct)
    {
        if (!client.AllowsGrant(GrantTypes.AuthorizationCode))
            return OAuthError.UnauthorizedClient("The client may not use the authorization_code grant.");
        if (p["code"] is not { } code) return OAuthError.InvalidRequest("code is required.");
        if (p["redirect_uri"] is not { } redirectUri) return OAuthError.InvalidRequest("redirect_uri is required.");
        if (p["code_verifier"] is not { } verifier) return OAuthError.InvalidRequest("code_verifier is required (PKCE).");

        var hash = SecretHasher.HashToken(code);
        var now = time.GetUtcNow();

        // Claiming the code is one atomic UPDATE, so that of two concurrent redemptions only one wins.
        var claimed = await db.AuthorizationCodes
            .Where(c => c.CodeHash == hash && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), ct);
        var grant = await db.AuthorizationCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash, ct);
        if (grant is null) return OAuthError.InvalidGrant("The authorization code is invalid.");

        if (claimed == 0)
        {
            // A replayed code may have been stolen: whatever was issued from it is no longer trusted
            // (RFC 6749 §4.1.2).
            var revoked = await RevokeFamilyAsync(grant.Id, now, ct);
            logger.LogWarning("Authorization code {CodeId} of client {ClientId} was replayed; revoked {Count} refresh tokens",
                grant.Id, grant.ClientId, revoked);
            return OAuthError.InvalidGrant("The authorization code has already been used.");
        }

        if (grant.ClientId != client.ClientId) return OAuthError.InvalidGrant("The authorization code was issued to another client.");
        if (grant.ExpiresAt <= now) return OAuthError.InvalidGrant("The authorization code has expired.");
        if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
            return OAuthError.InvalidGrant("redirect_uri does not match the authorization request.");
        if (!Pkce.IsWellFormedVerifier(verifier) || !Pkce.VerifierMatches(verifier, grant.CodeChallenge))
            return OAuthError.InvalidGrant("PKCE verification failed.");

        var user = await FindActiveUserAsync(grant.UserId);
        if (user is null) return OAuthError.InvalidGrant("The user can no longer sign in.");
        var (session, sessionError) = await ActiveSessionAsync(grant.SessionId, grant.UserId, ct);
        if (sessionError is not null) return sessionError;

        var scopes = Scopes.Parse(grant.Scope) ?? [];
        var response = await CreateUserTokensAsync(client, user, scopes, grant.AuthTime, session, ct);

        string? refreshToken = null;
        if (scopes.Contains(Scopes.OfflineAccess) && client.AllowsGrant(GrantTypes.RefreshToken))
        {
            refreshToken = AddRefreshToken(client.ClientId, user.Id, grant.Scope, familyId: grant.Id, grant.SessionId, grant.AuthTime,
                familyExpiresAt: now + Options.RefreshTokenAbsoluteLifetime, now);
            await db.SaveChangesAsync(ct);
        }

        string? idToken = scopes.Contains(Scopes.OpenId)
            ? await tokens.CreateIdTokenAsync(user.Id.ToString(), client.ClientId, grant.AuthTime, grant.Nonce,
                session?.Id, MethodsOf(session), ct)
            : null;

        return response with { RefreshToken = refreshToken, IdToken = idToken };
    }

    public async Task<GrantResult> RefreshTokenAsync(OAuthClient client, OAuthParameters p, CancellationToken ct)
    {
        if (!client.AllowsGrant(GrantTypes.RefreshToken))
            return OAuthError.UnauthorizedClient("The client may not use the refresh_token grant.");
        if (p["refresh_token"] is not { } presented) return OAuthError.InvalidRequest("refresh_token is required.");

        var now = time.GetUtcNow();
        var hash = SecretHasher.HashToken(presented);
        var current = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (current is null) return OAuthError.InvalidGrant("The refresh token is invalid.");
        if (current.ClientId != client.ClientId) return OAuthError.InvalidGrant("The refresh token was issued to another client.");
        if (current.RevokedAt is not null) return OAuthError.InvalidGrant("The refresh token has been revoked.");
        if (current.ConsumedAt is not null) return await ReuseDetectedAsync(current, now, ct);
        if (current.ExpiresAt <= now) return OAuthError.InvalidGrant("The refresh token has expired.");

        var grantedScopes = Scopes.Parse(current.Scope) ?? [];
        IReadOnlyList<string> scopes = grantedScopes;
        if (p.Values.ContainsKey("scope"))
        {
            // A refresh may narrow the scope of the new access token, never widen it (RFC 6749 §6).
            var requested = Scopes.Parse(p["scope"]);
            if (requested is null || requested.Any(s => !grantedScopes.Contains(s)))
                return OAuthError.InvalidScope("The requested scope exceeds the scope originally granted.");
            scopes = requested;
        }

        var user = await FindActiveUserAsync(current.UserId);
        if (user is null) return OAuthError.InvalidGrant("The user can no longer sign in.");
        var (session, sessionError) = await ActiveSessionAsync(current.SessionId, current.UserId, ct);
        if (sessionError is not null) return sessionError;

        string? next = null;
        var rotated = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var consumed = await db.RefreshTokens
                .Where(t => t.Id == current.Id && t.ConsumedAt == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), ct);
            if (consumed == 0) return false;
            // The successor stays in the same sign-in session: ending the session revokes it too.
            next = AddRefreshToken(client.ClientId, user.Id, current.Scope, current.FamilyId, current.SessionId, current.AuthTime,
                current.FamilyExpiresAt, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        });
        // Lost the race to a concurrent use of the same token: that is a reuse too.
        if (!rotated) return await ReuseDetectedAsync(current, now, ct);

        if (session is not null) await sessions.TouchAsync(session.Id, ct);
        var response = await CreateUserTokensAsync(client, user, scopes, current.AuthTime, session, ct);
        return response with { RefreshToken = next };
    }

    public async Task<GrantResult> ClientCredentialsAsync(OAuthClient client, OAuthParameters p, CancellationToken ct)
    {
        if (client.Type != OAuthClientType.Confidential || !client.AllowsGrant(GrantTypes.ClientCredentials))
            return OAuthError.UnauthorizedClient("The client may not use the client_credentials grant.");
        if (client.OrganizationId is null)
            return OAuthError.UnauthorizedClient("The client is not bound to a medical organization.");

        var requested = Scopes.Parse(p["scope"]);
        if (requested is null) return OAuthError.InvalidScope("The scope parameter is malformed.");
        if (requested.Count == 0) requested = client.AllowedScopes;
        if (requested.Any(s => !client.AllowedScopes.Contains(s, StringComparer.Ordinal)))
            return OAuthError.InvalidScope("The requested scope is not allowed for this client.");

        var access = await tokens.CreateAccessTokenAsync(new AccessTokenRequest(
            Subject: client.ClientId,
            ClientId: client.ClientId,
            Scopes: requested,
            Roles: [HealthRoles.MedicalOrganization],
            OrganizationId: client.OrganizationId,
            OrganizationName: client.OrganizationName), ct);
        return new TokenResponse(access.Token, (int)access.Lifetime.TotalSeconds, Scopes.Join(requested));
    }

    /// <summary>
    /// RFC 7009. A refresh token is revoked with its whole family (the sign-in on that client ends). An access token
    /// (a JWT of ours) goes on the deny-list until it expires, so the gateway and every service refuse it at once.
    /// An unknown token gets 200 like a revoked one (§2.2): the answer tells nothing about which tokens exist.
    /// </summary>
    public async Task<OAuthError?> RevokeAsync(OAuthClient client, OAuthParameters p, CancellationToken ct)
    {
        if (p["token"] is not { } token) return OAuthError.InvalidRequest("token is required.");
        // The hint only saves a lookup (§2.1); the shape of the token decides: ours are opaque or a JWT.
        if (await ownTokens.ReadAsync(token, TokenFactory.AccessTokenType, Options.Audience, ct) is { } access)
            return await RevokeAccessTokenAsync(client, access, ct);

        var hash = SecretHasher.HashToken(token);
        var refresh = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (refresh is null) return null;
        if (refresh.ClientId != client.ClientId) return OAuthError.InvalidGrant("The token was issued to another client.");

        var count = await RevokeFamilyAsync(refresh.FamilyId, time.GetUtcNow(), ct);
        logger.LogInformation("Client {ClientId} revoked refresh token family {FamilyId} ({Count} tokens)", client.ClientId, refresh.FamilyId, count);
        return null;
    }

    private async Task<OAuthError?> RevokeAccessTokenAsync(OAuthClient client, JsonWebToken access, CancellationToken ct)
    {
        var issuedTo = access.TryGetPayloadValue<string>(HealthClaims.ClientId, out var clientId) ? clientId : null;
        if (issuedTo != client.ClientId) return OAuthError.InvalidGrant("The token was issued to another client.");
        if (string.IsNullOrEmpty(access.Id)) return null; // nothing to name it by; ours always have a jti
        await denyList.DenyTokenAsync(access.Id, new DateTimeOffset(access.ValidTo, TimeSpan.Zero), ct);
        logger.LogInformation("Client {ClientId} revoked access token {TokenId}", client.ClientId, access.Id);
        return null;
    }

    private async Task<OAuthError> ReuseDetectedAsync(RefreshToken token, DateTimeOffset now, CancellationToken ct)
    {
        var revoked = await RevokeFamilyAsync(token.FamilyId, now, ct);
        logger.LogWarning("Refresh token {TokenId} of family {FamilyId} was reused; revoked {Count} tokens of the family",
            token.Id, token.FamilyId, revoked);
        // Whoever holds the leaked token may also hold the session's access tokens: they stop now, not in minutes.
        if (token.SessionId is { } sessionId) await sessions.EndAsync(sessionId, SessionEndReasons.RefreshTokenReused, ct);
        return OAuthError.InvalidGrant("The refresh token has already been used.");
    }

    /// <summary>The session a code or refresh token belongs to, which must still be active and the same person's.</summary>
    private async Task<(UserSession? Session, OAuthError? Error)> ActiveSessionAsync(Guid? sessionId, Guid userId, CancellationToken ct)
    {
        if (sessionId is not { } id) return (null, null); // issued before sessions existed
        var session = await sessions.FindActiveAsync(id, ct);
        return session is null || session.UserId != userId
            ? (null, OAuthError.InvalidGrant("The sign-in session has ended."))
            : (session, null);
    }

    private static IReadOnlyList<string>? MethodsOf(UserSession? session) =>
        session?.AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private Task<int> RevokeFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    private string AddRefreshToken(string clientId, Guid userId, string scope, Guid familyId, Guid? sessionId, DateTimeOffset authTime,
        DateTimeOffset familyExpiresAt, DateTimeOffset now)
    {
        var value = SecretHasher.NewOpaqueValue();
        var expiresAt = now + Options.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            TokenHash = SecretHasher.HashToken(value),
            FamilyId = familyId,
            SessionId = sessionId,
            ClientId = clientId,
            UserId = userId,
            Scope = scope,
            AuthTime = authTime,
            CreatedAt = now,
            ExpiresAt = expiresAt < familyExpiresAt ? expiresAt : familyExpiresAt,
            FamilyExpiresAt = familyExpiresAt,
        });
        return value;
    }

    private async Task<HealthUser?> FindActiveUserAsync(Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        return user is null || await users.IsLockedOutAsync(user) ? null : user;
    }

    private async Task<TokenResponse> CreateUserTokensAsync(OAuthClient client, HealthUser user, IReadOnlyList<string> scopes,
        DateTimeOffset authTime, UserSession? session, CancellationToken ct)
    {
        var person = await personClaims.LoadAsync(user, ct);
        var access = await tokens.CreateAccessTokenAsync(new AccessTokenRequest(
            Subject: user.Id.ToString(),
            ClientId: client.ClientId,
            Scopes: scopes,
            Roles: person.Roles,
            OrganizationId: user.OrganizationId,
            OrganizationName: user.OrganizationName,
            Snils: person.IsPatient ? user.Snils : null,
            AuthTime: authTime,
            SessionId: session?.Id,
            AuthenticationMethods: MethodsOf(session),
            AccountLevel: person.AccountLevel,
            PersonalDataConsent: person.PersonalDataConsent,
            // A doctor's name goes into every access event they cause, so the patient sees who opened the record;
            // a patient's own token stays without it (no personal data a service does not need).
            Name: user.OrganizationId is not null ? user.FullName : null), ct);
        return new TokenResponse(access.Token, (int)access.Lifetime.TotalSeconds, Scopes.Join(scopes));
    }
}
