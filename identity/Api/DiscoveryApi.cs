using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>OpenID Connect Discovery 1.0 / RFC 8414 metadata and the JWKS (RFC 7517).</summary>
public static class DiscoveryApi
{
    public static RouteGroupBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").AllowAnonymous().ExcludeFromDescription();
        wellKnown.MapGet("/openid-configuration", Metadata);
        wellKnown.MapGet("/oauth-authorization-server", Metadata);
        wellKnown.MapGet("/jwks.json", JwksAsync);
        return wellKnown;
    }

    private static JsonHttpResult<Dictionary<string, object>> Metadata(HttpContext context, IOptions<TokenServiceOptions> options)
    {
        var o = options.Value;
        string[] authMethods = ["client_secret_basic", "client_secret_post", "none"];
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["issuer"] = o.Issuer,
            ["authorization_endpoint"] = o.EndpointUrl("/connect/authorize"),
            ["token_endpoint"] = o.EndpointUrl("/connect/token"),
            ["userinfo_endpoint"] = o.EndpointUrl("/connect/userinfo"),
            ["revocation_endpoint"] = o.EndpointUrl("/connect/revocation"),
            ["end_session_endpoint"] = o.EndpointUrl(Sessions.EndSessionApi.Path),
            ["jwks_uri"] = o.EndpointUrl("/.well-known/jwks.json"),
            ["scopes_supported"] = Scopes.All,
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, TokenExchangeGrant.GrantType },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SigningKeyStore.Algorithm },
            ["token_endpoint_auth_methods_supported"] = authMethods,
            ["revocation_endpoint_auth_methods_supported"] = authMethods,
            ["code_challenge_methods_supported"] = new[] { Pkce.S256 },
            ["prompt_values_supported"] = new[] { "none", "login" },
            ["claims_supported"] = new[]
            {
                "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "family_name", "given_name",
                "middle_name", "birthdate", "preferred_username", "role", "snils", "org_id", "org_name",
                "sid", "amr", "acc_level", "pd_consent",
            },
            ["authorization_response_iss_parameter_supported"] = true,
            ["request_parameter_supported"] = false,
            ["request_uri_parameter_supported"] = false,
            ["claims_parameter_supported"] = false,
            ["ui_locales_supported"] = new[] { "ru-RU" },
        });
    }

    private static async Task<JsonHttpResult<JsonWebKeySetDocument>> JwksAsync(HttpContext context, SigningKeyStore keys, CancellationToken ct)
    {
        var keySet = await keys.GetKeysAsync(ct);
        // Short enough that validators see a new key soon after rotation; they also refetch on an unknown kid.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new JsonWebKeySetDocument(keySet.Published));
    }

    public sealed record JsonWebKeySetDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);
}
