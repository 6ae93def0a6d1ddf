using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.ServiceDefaults.Auth;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// An access token is a self-contained JWT that the gateway and services validate without asking identity, so a row for
/// each one would only cost a write per token (the client-credentials hot path): it is revoked through the deny-list
/// by its <c>jti</c> instead (<see cref="RevocationOfWholeGrants"/>). An ID token is never presented back as a grant. Codes and refresh tokens keep their rows:
/// single use, rotation and reuse detection live there.
/// </summary>
public sealed class AccessTokensWithoutEntries : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseSingletonHandler<AccessTokensWithoutEntries>()
        .SetOrder(Protection.CreateTokenEntry.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken) context.CreateTokenEntry = false;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A refresh token presented again after its single use was stolen or leaked: OpenIddict revokes every token of its
/// grant (ValidateTokenEntry, right after this), and the sign-in session it belongs to ends here, so that the session's
/// access tokens stop at once too (the deny-list names the session), not in minutes.
/// </summary>
public sealed class RefreshTokenReuse(IOpenIddictTokenManager tokens, SessionStore sessions, ILogger<RefreshTokenReuse> logger)
    : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireTokenIdResolved>()
        .UseScopedHandler<RefreshTokenReuse>()
        .SetOrder(Protection.ValidateTokenEntry.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is not { } principal || !principal.HasTokenType(TokenTypeIdentifiers.RefreshToken)) return;
        if (await tokens.FindByIdAsync(context.TokenId!, context.CancellationToken) is not { } token
            || !await tokens.HasStatusAsync(token, Statuses.Redeemed, context.CancellationToken))
        {
            return;
        }
        logger.LogWarning("Refresh token {TokenId} of authorization {AuthorizationId} was reused; its grant is revoked and its session ended",
            context.TokenId, context.AuthorizationId);
        if (Guid.TryParse(principal.GetClaim(HealthClaims.SessionId), out var sessionId))
            await sessions.EndAsync(sessionId, SessionEndReasons.RefreshTokenReused, context.CancellationToken);
    }
}

/// <summary>
/// An access token on the deny-list (revoked by its <c>jti</c>, its session ended, its delegation revoked) is no token
/// OpenIddict may accept either: introspection answers <c>active: false</c> for it (RFC 7662 §2.2), and it cannot be an
/// actor token. The gateway and services ask the same deny-list at every request. Redis not answering refuses the token
/// (fail closed), as everywhere else.
/// </summary>
public sealed class DenyListedAccessTokens(TokenDenyList denyList, ILogger<DenyListedAccessTokens> logger) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<DenyListedAccessTokens>()
        .SetOrder(Protection.ValidateExpirationDate.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is not { } principal || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken)) return;
        bool denied;
        try
        {
            denied = await denyList.IsDeniedAsync(principal, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError("Access token not checked against the deny-list, refused: {Reason}", exception.GetType().Name + ": " + exception.Message);
            denied = true;
        }
        if (denied) context.Reject(Errors.InvalidToken, "The access token was revoked.");
    }
}

/// <summary>
/// RFC 7009 as this service means it: revoking a refresh token ends the whole grant on that client (every refresh token
/// of the sign-in), and an access token goes on the deny-list until it expires, so the gateway and every service refuse
/// it at once. An unknown or foreign token gets 200 like a revoked one (§2.2): the answer tells nothing.
/// </summary>
public sealed class RevocationOfWholeGrants(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    TokenDenyList denyList,
    ILogger<RevocationOfWholeGrants> logger) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
        .UseScopedHandler<RevocationOfWholeGrants>()
        .SetOrder(Revocation.RevokeToken.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var principal = context.GenericTokenPrincipal;
        var ct = context.CancellationToken;
        if (principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            if (principal.GetClaim(Claims.JwtId) is { Length: > 0 } jti && principal.GetExpirationDate() is { } expires)
            {
                await denyList.DenyTokenAsync(jti, expires, ct);
                logger.LogInformation("Client {ClientId} revoked access token {TokenId}", context.Request.ClientId, jti);
            }
            return;
        }

        if (principal.GetAuthorizationId() is { } authorizationId && await authorizations.FindByIdAsync(authorizationId, ct) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, ct);
            var count = await tokens.RevokeByAuthorizationIdAsync(authorizationId, ct);
            logger.LogInformation("Client {ClientId} revoked authorization {AuthorizationId} ({Count} tokens)", context.Request.ClientId, authorizationId, count);
        }
        else if (principal.GetTokenId() is { } tokenId && await tokens.FindByIdAsync(tokenId, ct) is { } token)
        {
            await tokens.TryRevokeAsync(token, ct);
        }
    }
}

/// <summary>
/// A token response always says the scope it granted (RFC 6749 §5.1 makes it optional when it equals the request;
/// clients of this service read it every time, as they always could), and its expires_in is the token's lifetime
/// (exp − iat), not that less the time the response took to make.
/// </summary>
public sealed class TokenResponseParameters : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .UseSingletonHandler<TokenResponseParameters>()
        .SetOrder(AttachSignInParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        // A token exchange's access token is OpenIddict's "issued token".
        if (context.Response.AccessToken is null || (context.AccessTokenPrincipal ?? context.IssuedTokenPrincipal) is not { } principal)
            return ValueTask.CompletedTask;
        context.Response.Scope ??= string.Join(' ', principal.GetScopes());
        if (principal.GetCreationDate() is { } issued && principal.GetExpirationDate() is { } expires)
            context.Response.ExpiresIn = (long)(expires - issued).TotalSeconds;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// RFC 6749 §3.1: a parameter is sent at most once. OpenIddict would read a repeated one as a list; a request that names
/// two scopes, two redirect URIs or two codes is malformed and refused before anything else looks at it (RFC 8693's
/// resource and audience may repeat). So is a scope with empty parts (§3.3: tokens separated by single spaces), which
/// OpenIddict would quietly tidy.
/// </summary>
public static class WellFormedParameters
{
    private static readonly HashSet<string> MayRepeat = [Parameters.Resource, Parameters.Audience];

    public static IEnumerable<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<InTokenRequests>()
            .SetOrder(Exchange.ValidateGrantType.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<InAuthorizationRequests>()
            .SetOrder(Authentication.ValidateRequestParameter.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    private static string? Repeated(OpenIddictRequest request) =>
        request.GetParameters()
            .Where(p => !MayRepeat.Contains(p.Key) && ((ImmutableArray<string?>?)p.Value) is { Length: > 1 })
            .Select(p => p.Key)
            .FirstOrDefault();

    private static (string Error, string Description)? Problem(OpenIddictRequest request)
    {
        if (Repeated(request) is { } name) return (Errors.InvalidRequest, $"Parameter {name} is repeated.");
        if (request.Scope is { Length: > 0 } scope && Domain.Scopes.Parse(scope) is null) return (Errors.InvalidScope, "The scope parameter is malformed.");
        return null;
    }

    private sealed class InTokenRequests : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (Problem(context.Request) is var (error, description)) context.Reject(error, description);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class InAuthorizationRequests : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            if (Problem(context.Request) is var (error, description)) context.Reject(error, description);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A refresh answers with new access and refresh tokens but no new ID token (OpenID Connect Core §12.2 lets it leave
/// the ID token out): the client already knows who signed in, and each ID token is one more RSA signature inside the
/// HSM on the busiest grant.
/// </summary>
public sealed class NoIdentityTokenOnRefresh : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .UseSingletonHandler<NoIdentityTokenOnRefresh>()
        .SetOrder(EvaluateGeneratedTokens.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request.IsRefreshTokenGrantType())
        {
            context.GenerateIdentityToken = false;
            context.IncludeIdentityToken = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The discovery document also names identity's own userinfo and end-session endpoints, and what a token can say.</summary>
public sealed class DiscoveryMetadata(IOptions<TokenServiceOptions> options, SigningKeyStore keys) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<DiscoveryMetadata>()
        .SetOrder(int.MaxValue - 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    private static readonly System.Collections.Immutable.ImmutableArray<string?> ClaimsSupported =
    [
        "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "family_name", "given_name",
        "middle_name", "birthdate", "preferred_username", "role", "snils", "org_id", "org_name",
        "sid", "amr", "acc_level", "pd_consent", "act", "del",
    ];

    public async ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        var o = options.Value;
        // OpenIddict names the algorithm of its placeholder credential (ES256); ID tokens are signed by the HSM's current
        // key, which is RS256 in a deployment whose keys were made before ES256, until its next rotation.
        context.IdTokenSigningAlgorithms.Add((await keys.GetKeysAsync(context.CancellationToken)).Signing.Algorithm);
        context.UserInfoEndpoint = new Uri(o.EndpointUrl("/connect/userinfo"));
        context.EndSessionEndpoint = new Uri(o.EndpointUrl(EndSessionApi.Path));
        // Public clients (browser, mobile) authenticate with nothing but their client_id.
        context.TokenEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        context.Metadata["claims_supported"] = new OpenIddictParameter(ClaimsSupported);
        context.Metadata["ui_locales_supported"] = new OpenIddictParameter(System.Collections.Immutable.ImmutableArray.Create<string?>("ru-RU"));
        context.Metadata["request_parameter_supported"] = false;
        context.Metadata["request_uri_parameter_supported"] = false;
    }
}

/// <summary>
/// A token exchange names the delegation by its id (<see cref="TokenExchangeGrant.DelegationTokenType"/>), which is no
/// token OpenIddict could validate: <see cref="TokenExchangeGrant"/> checks it against the database. The actor token
/// is still validated by OpenIddict.
/// </summary>
public sealed class DelegationSubjectTokens : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseSingletonHandler<DelegationSubjectTokens>()
        .SetOrder(EvaluateValidatedTokens.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request.IsTokenExchangeGrantType()
            && context.Request.SubjectTokenType == TokenExchangeGrant.DelegationTokenType)
        {
            context.ValidateSubjectToken = false;
            context.RejectSubjectToken = false;
        }
        return ValueTask.CompletedTask;
    }
}
