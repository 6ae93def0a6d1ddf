using System.Net;
using System.Text.Json;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class DiscoveryTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Metadata_describes_the_endpoints_under_the_public_issuer(string path)
    {
        using var http = Fixture.CreateClient();
        using var response = await http.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        const string issuer = IdentityServiceFixture.Issuer;
        root.GetProperty("issuer").GetString().ShouldBe(issuer);
        root.GetProperty("authorization_endpoint").GetString().ShouldBe($"{issuer}/connect/authorize");
        root.GetProperty("token_endpoint").GetString().ShouldBe($"{issuer}/connect/token");
        root.GetProperty("userinfo_endpoint").GetString().ShouldBe($"{issuer}/connect/userinfo");
        root.GetProperty("revocation_endpoint").GetString().ShouldBe($"{issuer}/connect/revocation");
        root.GetProperty("end_session_endpoint").GetString().ShouldBe($"{issuer}/connect/endsession");
        root.GetProperty("jwks_uri").GetString().ShouldBe($"{issuer}/.well-known/jwks.json");
        Strings(root, "response_types_supported").ShouldBe(["code"]);
        Strings(root, "code_challenge_methods_supported").ShouldBe(["S256"]);
        Strings(root, "grant_types_supported").ShouldBe(["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"], ignoreOrder: true);
        Strings(root, "id_token_signing_alg_values_supported").ShouldBe(["ES256"]);
        Strings(root, "token_endpoint_auth_methods_supported").ShouldBe(["client_secret_basic", "client_secret_post", "none"], ignoreOrder: true);
        Strings(root, "subject_types_supported").ShouldBe(["public"]);
        Strings(root, "scopes_supported").ShouldBe(["openid", "profile", "offline_access", "health", "health.publish", "health.pharmacy",
            "health.delegated.records", "health.delegated.limited", "health.delegated.appointments"], ignoreOrder: true);
        root.GetProperty("authorization_response_iss_parameter_supported").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Jwks_publishes_public_p256_signing_keys_only()
    {
        using var http = Fixture.CreateClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks.json"));
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToList();
        keys.ShouldNotBeEmpty();
        foreach (var key in keys)
        {
            key.GetProperty("kty").GetString().ShouldBe("EC");
            key.GetProperty("use").GetString().ShouldBe("sig");
            key.GetProperty("alg").GetString().ShouldBe("ES256");
            key.GetProperty("crv").GetString().ShouldBe("P-256");
            key.GetProperty("kid").GetString().ShouldNotBeNullOrEmpty();
            // A point of the curve: 32-byte coordinates, and no private member ("d").
            Convert.FromBase64String(Pad(key.GetProperty("x").GetString()!)).Length.ShouldBe(32);
            Convert.FromBase64String(Pad(key.GetProperty("y").GetString()!)).Length.ShouldBe(32);
            key.EnumerateObject().Select(p => p.Name).ShouldBe(["kty", "use", "alg", "kid", "crv", "x", "y"], ignoreOrder: true);
        }
    }

    [Fact]
    public async Task Tokens_are_signed_with_a_key_the_jwks_publishes()
    {
        var organization = Demo.MedicalOrganization;
        using var http = Fixture.CreateClient();
        using var response = await OAuthDriver.PostFormAsync(http, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials" },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        var token = (await TokenSet.ReadAsync(response)).Access;

        var jwks = await GetJwksAsync();
        jwks.Keys.Select(k => k.Kid).ShouldContain(token.Kid);
        // The current key first; the next one is published before it ever signs (rotation: see Keys/KeyRotationTests).
        jwks.Keys.Count.ShouldBeGreaterThanOrEqualTo(2);
        jwks.Keys[0].Kid.ShouldBe(token.Kid);
    }

    private static string[] Strings(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
    }
}
