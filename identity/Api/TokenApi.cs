using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>
/// The token endpoint (RFC 6749 §3.2). OpenIddict has already authenticated the client and validated the grant (code
/// with PKCE, refresh token, client credentials, token exchange); this decides what the new tokens say.
/// Revocation (RFC 7009), introspection (RFC 7662), discovery and the JWKS are OpenIddict's own endpoints.
/// </summary>
public static class TokenApi
{
    public static RouteGroupBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        // Machine-to-machine form posts: no cookies are involved, so there is no antiforgery token.
        var connect = app.MapGroup("/connect").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        connect.MapPost("/token", TokenAsync);
        return connect;
    }

    public sealed record TokenServices(TokenGrants Grants, TokenExchangeGrant Exchange);

    private static async Task<Results<SignInHttpResult, ForbidHttpResult, JsonHttpResult<OAuthError>>> TokenAsync(
        HttpContext context, [AsParameters] TokenServices s, CancellationToken ct)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token endpoint was reached without an OpenIddict request.");
        GrantResult result;
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType()) result = await s.Grants.RedeemAsync(context, request, ct);
        else if (request.IsClientCredentialsGrantType()) result = await s.Grants.ClientCredentialsAsync(request, ct);
        else if (request.IsTokenExchangeGrantType()) result = await s.Exchange.ExchangeAsync(context, request, ct);
        else result = OAuthError.UnsupportedGrantType($"Grant type {request.GrantType} is not supported.");

        if (result.Principal is { } principal) return TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return Refuse(context, result.Error!);
    }

    /// <summary>OpenIddict writes the error response (400, no-store); an answer it has no status for is written here.</summary>
    internal static Results<SignInHttpResult, ForbidHttpResult, JsonHttpResult<OAuthError>> Refuse(HttpContext context, OAuthError error)
    {
        if (error.StatusCode != StatusCodes.Status400BadRequest)
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(error, statusCode: error.StatusCode);
        }
        return TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error.Error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = error.Description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
