using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Delegations;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// RFC 8693 token exchange for acting on someone else's behalf. The subject token names the delegation (whose
/// principal the new token is about), the actor token is the acting person's own access token. The result is an
/// access token with <c>sub</c> = the principal, <c>act.sub</c> = the actor, <c>del</c> = the delegation, the scope
/// narrowed to what the delegation grants, living at most 24 hours and never past the delegation's end; no refresh
/// token, so acting for someone always goes back through this check.
/// </summary>
/// <remarks>
/// OpenIddict has authenticated the client and validated the actor token (signature, issuer, lifetime, type, that it was
/// issued to this client); the subject token is no token but a delegation id, checked here.
/// Errors follow RFC 8693 §2.2.2: a malformed request or an unacceptable actor token is <c>invalid_request</c>; the
/// delegation is the grant here, so an unknown, foreign, revoked or expired one is RFC 6749's <c>invalid_grant</c>
/// (one answer for all of them, so that nobody learns which delegation ids exist).
/// </remarks>
public sealed class TokenExchangeGrant(
    IdentityDb db,
    UserManager<HealthUser> users,
    TokenPrincipals principals,
    AccountClaims accountClaims,
    TokenDenyList denyList,
    SecurityEvents events,
    IOptions<TokenServiceOptions> tokenOptions,
    IOptions<DelegationOptions> delegationOptions,
    TimeProvider time,
    ILogger<TokenExchangeGrant> logger)
{
    public const string GrantType = OpenIddictConstants.GrantTypes.TokenExchange;
    public const string DelegationTokenType = "urn:gosuslugi:health:token-type:delegation";
    public const string AccessTokenType = OpenIddictConstants.TokenTypeIdentifiers.AccessToken;

    public async Task<GrantResult> ExchangeAsync(HttpContext context, OpenIddictRequest p, CancellationToken ct)
    {
        var clientId = p.ClientId!;
        if (p.ActorToken is null) return OAuthError.InvalidRequest("actor_token is required: the acting person's access token.");
        if (p.Resources is { Length: > 0 }) return InvalidTarget("No resource can be named: the token is for the health API.");
        if (p.Audiences is { Length: > 0 } audiences && audiences.Any(a => a != tokenOptions.Value.Audience))
            return InvalidTarget($"The only audience is {tokenOptions.Value.Audience}.");
        IReadOnlyList<string> requestedScopes = [.. p.GetScopes()];

        var authentication = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var actorToken = authentication.Properties?.GetParameter<ClaimsPrincipal>(OpenIddictServerAspNetCoreConstants.Properties.ActorTokenPrincipal);
        var (actorClaims, actorProblem) = await CheckActorTokenAsync(actorToken, ct);
        if (actorClaims is null) return await RefusedAsync(actorProblem!, "actor_token_rejected", subjectId: null, actorId: null, clientId, ct);
        var actorId = actorClaims.GetSubjectId();

        var now = time.GetUtcNow();
        var delegation = Guid.TryParse(p.SubjectToken, out var delegationId)
            ? await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == delegationId, ct)
            : null;
        // Whose authority was asked for, when the delegation exists: they see the attempt in their security events.
        var subjectId = delegation?.PrincipalId ?? actorId;

        var actor = await users.FindByIdAsync(actorId.ToString());
        if (actor is null || actor.IsManagedByGuardian || await users.IsLockedOutAsync(actor))
            return await RefusedAsync(OAuthError.InvalidGrant("The acting account cannot act."), "actor_unavailable", subjectId, actorId, clientId, ct);
        if (actor.Level != AccountLevel.Confirmed)
        {
            return await RefusedAsync(OAuthError.InvalidGrant("Only a confirmed account can act for someone else."),
                "actor_not_confirmed", subjectId, actorId, clientId, ct);
        }

        if (delegation is null || delegation.ActorId != actorId)
        {
            return await RefusedAsync(OAuthError.InvalidGrant("The delegation does not exist or is not the actor's."),
                delegation is null ? "unknown_delegation" : "foreign_delegation", subjectId, actorId, clientId, ct);
        }
        if (delegation.RevokedAt is not null)
            return await RefusedAsync(OAuthError.InvalidGrant("The delegation has been revoked."), "delegation_revoked", subjectId, actorId, clientId, ct);
        if (!delegation.IsActiveAt(now))
            return await RefusedAsync(OAuthError.InvalidGrant("The delegation is not in force now."), "delegation_not_in_force", subjectId, actorId, clientId, ct);

        var principal = await users.FindByIdAsync(delegation.PrincipalId.ToString());
        if (principal is null)
            return await RefusedAsync(OAuthError.InvalidGrant("The represented person's account no longer exists."), "principal_unavailable", subjectId, actorId, clientId, ct);
        // Consent withdrawn and not given again: the person's data is processed for nobody, representatives included.
        // A child's account has no consent row of its own: the guardian consents by linking.
        if (await accountClaims.LatestConsentAsync(principal.Id, ct) is { WithdrawnAt: not null })
        {
            return await RefusedAsync(OAuthError.InvalidGrant("The represented person has withdrawn consent to the processing of personal data."),
                "principal_consent_withdrawn", subjectId, actorId, clientId, ct);
        }

        var granted = DelegationScopes.TokenScopes(delegation.Scope);
        IReadOnlyList<string> scopes = requestedScopes.Count == 0 ? granted : requestedScopes;
        if (scopes.Any(s => !granted.Contains(s, StringComparer.Ordinal)))
        {
            return await RefusedAsync(OAuthError.InvalidScope($"The delegation grants only: {Scopes.Join(granted)}."),
                "scope_exceeds_delegation", subjectId, actorId, clientId, ct);
        }

        var lifetime = Lifetime(delegation, now);
        if (lifetime <= TimeSpan.Zero)
            return await RefusedAsync(OAuthError.InvalidGrant("The delegation is about to end."), "delegation_not_in_force", subjectId, actorId, clientId, ct);

        await events.PublishAsync(SecurityEventKinds.TokenExchanged, principal.Id, SecurityEvents.Success, new Dictionary<string, string>
        {
            ["delegation_id"] = delegation.Id.ToString(),
            ["scope"] = Scopes.Join(scopes),
            ["expires_in"] = ((int)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, actorId, clientId, ct);
        logger.LogInformation("Actor {ActorId} exchanged a token to act for {PrincipalId} under delegation {DelegationId} for {Seconds} s",
            actorId, principal.Id, delegation.Id, (int)lifetime.TotalSeconds);

        // No refresh token: acting for someone always goes back through these checks.
        return principals.Create(new AccessTokenRequest(
            Subject: principal.Id.ToString(),
            Scopes: scopes,
            Roles: [HealthRoles.Patient],
            // The actor's session: ending it (or signing out) stops the tokens they took for others too.
            SessionId: actorClaims.GetSessionId(),
            // The actor's level and the principal's consent were checked just now.
            AccountLevel: HealthClaims.AccountLevels.Confirmed,
            PersonalDataConsent: true,
            ActorId: actorId,
            DelegationId: delegation.Id,
            Lifetime: lifetime));
    }

    /// <summary>min(configured lifetime, time left on the delegation, 24 h), in whole seconds.</summary>
    private TimeSpan Lifetime(Delegation delegation, DateTimeOffset now)
    {
        var configured = delegationOptions.Value.DelegatedAccessTokenLifetime;
        var left = delegation.ValidTo - now;
        var lifetime = new[] { configured, left, DelegationOptions.MaxDelegatedAccessTokenLifetime }.Min();
        return TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds));
    }

    /// <summary>
    /// The actor token OpenIddict validated must be a person's own token, not itself acting for someone, and not on the
    /// deny-list (signed out, session ended).
    /// </summary>
    private async Task<(ClaimsPrincipal? Claims, OAuthError? Error)> CheckActorTokenAsync(ClaimsPrincipal? claims, CancellationToken ct)
    {
        if (claims is null) return (null, OAuthError.InvalidRequest("The actor token is not a valid access token."));
        if (claims.IsActingForSomeoneElse())
            return (null, OAuthError.InvalidRequest("A token that already acts for someone else cannot be exchanged again."));
        if (!Guid.TryParse(claims.FindFirst(HealthClaims.Subject)?.Value, out _) || !claims.HasClaim(HealthClaims.Role, HealthRoles.Patient))
            return (null, OAuthError.InvalidRequest("The actor token must be a person's own access token."));

        bool denied;
        try
        {
            denied = await denyList.IsDeniedAsync(claims, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Fail closed: without the deny-list a signed-out token could act for someone.
            logger.LogError("Token exchange refused: the deny-list did not answer ({Reason})", e.GetType().Name);
            return (null, new OAuthError("temporarily_unavailable", "The token could not be checked; try again shortly.")
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
            });
        }
        return denied ? (null, OAuthError.InvalidRequest("The actor token has been revoked.")) : (claims, null);
    }

    private async Task<GrantResult> RefusedAsync(OAuthError error, string reason, Guid? subjectId, Guid? actorId, string clientId,
        CancellationToken ct)
    {
        await events.PublishAsync(SecurityEventKinds.TokenExchangeRefused, subjectId, SecurityEvents.Failure,
            new Dictionary<string, string> { ["reason"] = reason, ["error"] = error.Error }, actorId, clientId, ct);
        logger.LogInformation("Token exchange refused for actor {ActorId}, subject {SubjectId}: {Reason}", actorId, subjectId, reason);
        return error;
    }

    private static OAuthError InvalidTarget(string description) => new("invalid_target", description);
}
