using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Who and what an access token is for: the claims that the gateway and the services read.</summary>
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

/// <summary>
/// Builds the principal OpenIddict turns into tokens. Every claim names where it goes: the access token gets what the
/// services read; the ID token (for the client itself) only who signed in, when, how and in which session.
/// </summary>
public sealed class TokenPrincipals(IOptions<TokenServiceOptions> options)
{
    private static readonly HashSet<string> IdTokenClaims =
        [Claims.Subject, Claims.AuthenticationTime, HealthClaims.SessionId, HealthClaims.AuthenticationMethods];

    public ClaimsPrincipal Create(AccessTokenRequest request)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, request.Subject));
        foreach (var role in request.Roles) identity.AddClaim(new Claim(Claims.Role, role));
        Add(identity, HealthClaims.OrganizationId, request.OrganizationId?.ToString());
        Add(identity, HealthClaims.OrganizationName, request.OrganizationName);
        Add(identity, Claims.Name, string.IsNullOrWhiteSpace(request.Name) ? null : request.Name);
        Add(identity, HealthClaims.Snils, request.Snils);
        if (request.AuthTime is { } authTime)
        {
            identity.AddClaim(new Claim(Claims.AuthenticationTime,
                authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }
        Add(identity, HealthClaims.SessionId, request.SessionId?.ToString());
        foreach (var method in request.AuthenticationMethods ?? []) identity.AddClaim(new Claim(HealthClaims.AuthenticationMethods, method));
        Add(identity, HealthClaims.AccountLevel, request.AccountLevel);
        Add(identity, HealthClaims.PersonalDataConsent, request.PersonalDataConsent is { } consent ? (consent ? "true" : "false") : null);
        if (request.ActorId is { } actor)
        {
            // RFC 8693 §4.1: act is a JSON object naming the actor.
            identity.AddClaim(new Claim(HealthClaims.Actor, $$"""{"sub":"{{actor}}"}""", JsonClaimValueTypes.Json));
        }
        Add(identity, HealthClaims.DelegationId, request.DelegationId?.ToString());

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.Scopes);
        principal.SetResources(options.Value.Audience);
        if (request.Lifetime is { } lifetime) principal.SetAccessTokenLifetime(lifetime);
        principal.SetDestinations(claim => IdTokenClaims.Contains(claim.Type)
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return principal;
    }

    private static void Add(ClaimsIdentity identity, string type, string? value)
    {
        if (value is not null) identity.AddClaim(new Claim(type, value));
    }
}
