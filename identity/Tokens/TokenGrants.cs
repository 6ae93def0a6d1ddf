using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// What the tokens of the token endpoint's grants say (RFC 6749 §4.1.3, §4.4, §6). OpenIddict has validated the grant;
/// this reads the person fresh at every issue, so a changed role, level or consent counts at the next refresh, and
/// refuses a grant whose person can no longer sign in or whose sign-in session has ended.
/// </summary>
public sealed class TokenGrants(
    UserManager<HealthUser> users,
    PersonClaims personClaims,
    SessionStore sessions,
    TokenPrincipals principals,
    ClientRegistry clients,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<TokenServiceOptions> options,
    TimeProvider time,
    ILogger<TokenGrants> logger)
{
    private TokenServiceOptions Options => options.Value;

    /// <summary>authorization_code and refresh_token: the principal stored in the code or refresh token, renewed.</summary>
    public async Task<GrantResult> RedeemAsync(HttpContext context, OpenIddictRequest request, CancellationToken ct)
    {
        var granted = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("OpenIddict validated a grant without a principal.");
        if (!Guid.TryParse(granted.GetClaim(Claims.Subject), out var userId)) return OAuthError.InvalidGrant("The grant names no person.");

        var person = await personClaims.LoadAsync(userId, ct);
        if (person is null || await users.IsLockedOutAsync(person.User)) return await EndGrantAsync(granted, "The user can no longer sign in.", ct);

        UserSession? session = null;
        if (Guid.TryParse(granted.GetClaim(HealthClaims.SessionId), out var sessionId))
        {
            // A refresh is a use of the session: it is found alive and touched in one statement.
            session = request.IsRefreshTokenGrantType()
                ? await sessions.TouchActiveAsync(sessionId, ct)
                : await sessions.FindActiveAsync(sessionId, ct);
            if (session is null || session.UserId != userId) return await EndGrantAsync(granted, "The sign-in session has ended.", ct);
        }

        var authTime = long.TryParse(granted.GetClaim(Claims.AuthenticationTime), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : time.GetUtcNow();
        // A sign-in lasts at most the absolute lifetime, however often its refresh token is rotated.
        var left = authTime + Options.RefreshTokenAbsoluteLifetime - time.GetUtcNow();
        if (left <= TimeSpan.Zero) return await EndGrantAsync(granted, "The sign-in is too old: sign in again.", ct);

        // The grant keeps its whole scope; a refresh that asks for less gets an access token narrowed to that
        // (OpenIddict narrows it and refuses anything wider), and the next refresh may ask for all of it again.
        var principal = principals.Create(PersonToken(person, [.. granted.GetScopes()], authTime, session));
        // The new tokens stay in the grant's authorization: revoking it (or a reused refresh token) revokes them all.
        principal.SetAuthorizationId(granted.GetAuthorizationId());
        principal.SetRefreshTokenLifetime(left < Options.RefreshTokenLifetime ? left : Options.RefreshTokenLifetime);
        return principal;
    }

    /// <summary>client_credentials: a medical organization's (or a pharmacy's) system acting as the organization.</summary>
    public async Task<GrantResult> ClientCredentialsAsync(OpenIddictRequest request, CancellationToken ct)
    {
        var client = await clients.FindAsync(request.ClientId!, ct);
        if (client?.OrganizationId is null) return OAuthError.UnauthorizedClient("The client is not bound to a medical organization.");

        // OpenIddict has checked the requested scopes against the client's; none asked means all of them.
        IReadOnlyList<string> scopes = request.GetScopes() is { Length: > 0 } requested ? [.. requested] : client.Scopes;
        return principals.Create(new AccessTokenRequest(
            Subject: client.ClientId,
            Scopes: scopes,
            // A pharmacy's client is registered with its scope alone: it never acts as a medical organization.
            Roles: [client.Scopes.Contains(Domain.Scopes.HealthPharmacy) ? HealthRoles.Pharmacy : HealthRoles.MedicalOrganization],
            OrganizationId: client.OrganizationId,
            OrganizationName: client.OrganizationName));
    }

    private static AccessTokenRequest PersonToken(GrantedPerson granted, IReadOnlyList<string> scopes, DateTimeOffset authTime,
        UserSession? session)
    {
        var (user, person) = granted;
        return new AccessTokenRequest(
            Subject: user.Id.ToString(),
            Scopes: scopes,
            Roles: person.Roles,
            OrganizationId: user.OrganizationId,
            OrganizationName: user.OrganizationName,
            Snils: person.IsPatient ? user.Snils : null,
            AuthTime: authTime,
            SessionId: session?.Id,
            AuthenticationMethods: session?.AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            AccountLevel: person.AccountLevel,
            PersonalDataConsent: person.PersonalDataConsent,
            // A doctor's name goes into every access event they cause, so the patient sees who opened the record;
            // a patient's own token stays without it (no personal data a service does not need).
            Name: user.OrganizationId is not null ? user.FullName : null);
    }

    /// <summary>The grant cannot be used any more: its authorization (every token issued from the sign-in) is revoked.</summary>
    private async Task<OAuthError> EndGrantAsync(ClaimsPrincipal granted, string reason, CancellationToken ct)
    {
        if (granted.GetAuthorizationId() is { } authorizationId && await authorizations.FindByIdAsync(authorizationId, ct) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, ct);
            logger.LogInformation("Authorization {AuthorizationId} revoked: {Reason}", authorizationId, reason);
        }
        return OAuthError.InvalidGrant(reason);
    }
}
