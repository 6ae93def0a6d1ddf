using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Interop;

/// <summary>
/// identity used the way an ordinary OpenID Connect client library uses a provider, over HTTP only and knowing nothing
/// but the issuer: discovery, the endpoints it names, code + PKCE through the real login pages, tokens validated with
/// Microsoft.IdentityModel's own ConfigurationManager and the keys of the discovery document, refresh with rotation,
/// userinfo, end session. No shortcut into the database.
/// </summary>
[Collection(OwnIdentityCollection.Name)]
public sealed class OidcInteroperabilityTests(OwnIdentityFixture fixture)
{
    private const string ApiAudience = "gosuslugi-health-api";

    private string ClientId => fixture.Demo.PublicClient.ClientId;
    private string RedirectUri => fixture.Demo.PublicClient.RedirectUri;

    /// <summary>Discovery and JWKS exactly as a relying party fetches them.</summary>
    private async Task<OpenIdConnectConfiguration> DiscoverAsync()
    {
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            fixture.IssuerUrl + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false });
        return await manager.GetConfigurationAsync(CancellationToken.None);
    }

    private async Task<TokenResponse> SignInAsync()
    {
        using var oidc = new OidcClient(fixture.Issuer);
        return await oidc.SignInWithCodeAsync(ClientId, RedirectUri, fixture.Demo.Patient.Username, fixture.Demo.Patient.Password,
            SecondFactor.AuthenticatorApp(fixture.Demo.Patient.TotpSecret!));
    }

    private static Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration, string audience, string type) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [type],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });

    private async Task<HttpResponseMessage> UserInfoAsync(OpenIdConnectConfiguration configuration, string accessToken)
    {
        using var http = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, configuration.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> RefreshAsync(OpenIdConnectConfiguration configuration, string refreshToken)
    {
        using var http = fixture.CreateClient();
        return await http.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = ClientId,
        }));
    }

    [Fact]
    public async Task Discovery_code_with_pkce_validation_userinfo_refresh_and_end_session_work_like_any_provider()
    {
        var configuration = await DiscoverAsync();
        configuration.Issuer.ShouldBe(fixture.IssuerUrl);
        foreach (var endpoint in new[] { configuration.AuthorizationEndpoint, configuration.TokenEndpoint, configuration.JwksUri,
                     configuration.UserInfoEndpoint, configuration.EndSessionEndpoint })
        {
            endpoint.ShouldStartWith(fixture.IssuerUrl + "/");
        }
        // OidcClient drives the login pages at these two: the ones discovery names.
        configuration.AuthorizationEndpoint.ShouldBe(fixture.IssuerUrl + "/connect/authorize");
        configuration.TokenEndpoint.ShouldBe(fixture.IssuerUrl + "/connect/token");
        configuration.SigningKeys.Count.ShouldBeGreaterThanOrEqualTo(2, "the current key and the next one are published");

        var tokens = await SignInAsync();
        tokens.TokenType.ShouldBe("Bearer");

        var id = await ValidateAsync(tokens.IdToken!, configuration, ClientId, "JWT");
        id.IsValid.ShouldBeTrue(id.Exception?.Message);
        var idToken = (JsonWebToken)id.SecurityToken;
        idToken.Subject.ShouldNotBeNullOrEmpty();
        idToken.Claim("nonce").ShouldNotBeNullOrEmpty();
        idToken.Claim("auth_time").ShouldNotBeNull();
        idToken.Claim("sid").ShouldNotBeNull();

        var access = await ValidateAsync(tokens.AccessToken, configuration, ApiAudience, "at+jwt");
        access.IsValid.ShouldBeTrue(access.Exception?.Message);
        var accessToken = (JsonWebToken)access.SecurityToken;
        accessToken.Subject.ShouldBe(idToken.Subject);
        accessToken.Claim("sid").ShouldBe(idToken.Claim("sid"));

        using (var userInfo = await UserInfoAsync(configuration, tokens.AccessToken))
        {
            var body = await userInfo.Content.ReadAsStringAsync();
            userInfo.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            JsonDocument.Parse(body).RootElement.GetProperty("sub").GetString().ShouldBe(idToken.Subject);
        }

        // Refresh rotates; the new access token validates with the same discovery keys.
        TokenResponse rotated;
        using (var refreshed = await RefreshAsync(configuration, tokens.RefreshToken!))
        {
            var body = await refreshed.Content.ReadAsStringAsync();
            refreshed.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            rotated = JsonSerializer.Deserialize<TokenResponse>(body)!;
        }
        rotated.RefreshToken.ShouldNotBeNull().ShouldNotBe(tokens.RefreshToken);
        (await ValidateAsync(rotated.AccessToken, configuration, ApiAudience, "at+jwt")).IsValid.ShouldBeTrue();

        // The old refresh token again: reuse, so the family is revoked and the newest one fails too.
        using (var reused = await RefreshAsync(configuration, tokens.RefreshToken!))
        {
            await reused.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        }
        using (var newest = await RefreshAsync(configuration, rotated.RefreshToken!))
        {
            await newest.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        }
        using (var afterReuse = await UserInfoAsync(configuration, rotated.AccessToken))
        {
            afterReuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the session of a leaked refresh token ends");
        }

        // End session (RP-initiated logout) at the endpoint discovery names.
        var second = await SignInAsync();
        using var http = fixture.CreateClient();
        var endSession = configuration.EndSessionEndpoint + "?" + string.Join('&',
            new Dictionary<string, string> { ["id_token_hint"] = second.IdToken!, ["post_logout_redirect_uri"] = RedirectUri, ["state"] = "rp-state" }
                .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using (var loggedOut = await http.GetAsync(endSession))
        {
            loggedOut.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await loggedOut.Content.ReadAsStringAsync());
            loggedOut.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
            HttpUtility.ParseQueryString(loggedOut.Headers.Location.Query)["state"].ShouldBe("rp-state");
        }
        using (var afterLogout = await UserInfoAsync(configuration, second.AccessToken))
        {
            afterLogout.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using (var refreshAfterLogout = await RefreshAsync(configuration, second.RefreshToken!))
        {
            await refreshAfterLogout.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    public static TheoryData<string> BadTokens => ["alg-none", "unknown-key", "wrong-audience", "typ-jwt", "id-token"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Userinfo_refuses_a_token_that_is_wrong_in_one_respect(string kind)
    {
        var configuration = await DiscoverAsync();
        var patientId = await fixture.UserIdAsync(fixture.Demo.Patient.Username);
        Dictionary<string, object> Claims() => new()
        {
            ["sub"] = patientId.ToString(),
            ["client_id"] = ClientId,
            ["jti"] = Guid.CreateVersion7().ToString(),
            ["scope"] = "openid profile",
            ["role"] = "patient",
        };
        var services = fixture.Factory.Services;

        // The same claims, correctly signed: accepted, so each bad token below fails for its one fault.
        var good = await SignWithServiceKeyAsync(services, fixture.IssuerUrl, "at+jwt", ApiAudience, Claims());
        using (var accepted = await UserInfoAsync(configuration, good))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        }

        var bad = kind switch
        {
            "alg-none" => Unsigned(good),
            "unknown-key" => SignedByUnknownKey(fixture.IssuerUrl, Claims()),
            "wrong-audience" => await SignWithServiceKeyAsync(services, fixture.IssuerUrl, "at+jwt", "another-api", Claims()),
            "typ-jwt" => await SignWithServiceKeyAsync(services, fixture.IssuerUrl, "JWT", ApiAudience, Claims()),
            "id-token" => (await SignInAsync()).IdToken!,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var response = await UserInfoAsync(configuration, bad);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().Parameter!.ShouldContain("invalid_token");
    }

    /// <summary>The payload of a valid token under a header that says "alg": "none" and no signature.</summary>
    private static string Unsigned(string token)
    {
        var parsed = new JsonWebToken(token);
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { alg = "none", typ = "at+jwt", kid = parsed.Kid })));
        return $"{header}.{token.Split('.')[1]}.";
    }

    private static string SignedByUnknownKey(string issuer, Dictionary<string, object> claims)
    {
        using var rsa = RSA.Create(3072);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = issuer,
            Audience = ApiAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "not-one-of-ours" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
