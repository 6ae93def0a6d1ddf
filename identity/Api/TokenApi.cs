using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>The token endpoint (RFC 6749 §3.2) and the revocation endpoint (RFC 7009).</summary>
public static class TokenApi
{
    private static readonly string[] SupportedGrants = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, TokenExchangeGrant.GrantType];

    public static RouteGroupBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        // Machine-to-machine form posts: no cookies are involved, so there is no antiforgery token.
        var connect = app.MapGroup("/connect").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        connect.MapPost("/token", TokenAsync);
        connect.MapPost("/revocation", RevokeAsync);
        return connect;
    }

    public sealed record TokenServices(ClientAuthenticator Clients, TokenGrants Grants);

    private static async Task<Results<JsonHttpResult<TokenResponse>, JsonHttpResult<OAuthError>>> TokenAsync(
        HttpContext context, [AsParameters] TokenServices s, CancellationToken ct)
    {
        NoStore(context.Response);
        if (await ReadParametersAsync(context, ct) is not { } p)
            return Error(context, OAuthError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        if (p.RepeatedParameter is { } repeated) return Error(context, OAuthError.InvalidRequest($"Parameter {repeated} is repeated."));
        if (p["grant_type"] is not { } grantType) return Error(context, OAuthError.InvalidRequest("grant_type is required."));
        if (!SupportedGrants.Contains(grantType)) return Error(context, OAuthError.UnsupportedGrantType($"Grant type {grantType} is not supported."));

        var (client, clientError) = await s.Clients.AuthenticateAsync(context.Request, p, ct);
        if (clientError is not null) return Error(context, clientError);

        var result = grantType switch
        {
            GrantTypes.AuthorizationCode => await s.Grants.AuthorizationCodeAsync(client!, p, ct),
            GrantTypes.RefreshToken => await s.Grants.RefreshTokenAsync(client!, p, ct),
            TokenExchangeGrant.GrantType => await context.RequestServices.GetRequiredService<TokenExchangeGrant>().ExchangeAsync(client!, p, ct),
            _ => await s.Grants.ClientCredentialsAsync(client!, p, ct),
        };
        return result.Tokens is { } tokens ? TypedResults.Json(tokens) : Error(context, result.Error!);
    }

    private static async Task<Results<Ok, JsonHttpResult<OAuthError>>> RevokeAsync(
        HttpContext context, [AsParameters] TokenServices s, CancellationToken ct)
    {
        NoStore(context.Response);
        if (await ReadParametersAsync(context, ct) is not { } p)
            return Error(context, OAuthError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        if (p.RepeatedParameter is { } repeated) return Error(context, OAuthError.InvalidRequest($"Parameter {repeated} is repeated."));

        var (client, clientError) = await s.Clients.AuthenticateAsync(context.Request, p, ct);
        if (clientError is not null) return Error(context, clientError);

        return await s.Grants.RevokeAsync(client!, p, ct) is { } error ? Error(context, error) : TypedResults.Ok();
    }

    private static async Task<OAuthParameters?> ReadParametersAsync(HttpContext context, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return new OAuthParameters(await context.Request.ReadFormAsync(ct));
    }

    private static JsonHttpResult<OAuthError> Error(HttpContext context, OAuthError error)
    {
        if (error.StatusCode == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"gosuslugi-health\", charset=\"UTF-8\"";
        return TypedResults.Json(error, statusCode: error.StatusCode);
    }

    /// <summary>Responses that carry tokens or credentials are never cached (RFC 6749 §5.1).</summary>
    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
