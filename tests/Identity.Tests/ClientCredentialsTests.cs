using System.Net;
using System.Net.Http.Headers;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class ClientCredentialsTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task A_medical_organization_gets_a_token_with_client_secret_basic()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await Token(new() { ["grant_type"] = "client_credentials", ["scope"] = "health.publish" },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();

        var tokens = await TokenSet.ReadAsync(response);
        tokens.RefreshToken.ShouldBeNull();
        tokens.IdToken.ShouldBeNull();
        tokens.Scope.ShouldBe("health.publish");
        (await ValidateAccessTokenAsync(tokens.AccessToken)).IsValid.ShouldBeTrue();

        var access = tokens.Access;
        access.Typ.ShouldBe("at+jwt");
        access.Subject.ShouldBe(organization.ClientId);
        access.GetClaim("client_id").Value.ShouldBe(organization.ClientId);
        access.GetClaim("role").Value.ShouldBe("medical_organization");
        access.GetClaim("scope").Value.ShouldBe("health.publish");
        access.GetClaim("org_id").Value.ShouldBe(organization.OrganizationId.ToString());
        access.GetClaim("org_name").Value.ShouldBe(organization.OrganizationName);
        organization.OrganizationName.ShouldContain("поликлиника");
    }

    [Fact]
    public async Task A_pharmacy_gets_a_pharmacy_token_and_cannot_ask_for_health_publish()
    {
        var pharmacy = Demo.Pharmacy!;
        using var response = await Token(new() { ["grant_type"] = "client_credentials" },
            OAuthDriver.Basic(pharmacy.ClientId, pharmacy.ClientSecret));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var access = (await TokenSet.ReadAsync(response)).Access;
        access.GetClaim("role").Value.ShouldBe("pharmacy");
        access.GetClaim("scope").Value.ShouldBe("health.pharmacy");
        access.GetClaim("org_id").Value.ShouldBe(Gosuslugi.Health.Identity.Seeding.DemoDataSeeder.DemoPharmacyId.ToString());

        using var publish = await Token(new() { ["grant_type"] = "client_credentials", ["scope"] = "health.publish" },
            OAuthDriver.Basic(pharmacy.ClientId, pharmacy.ClientSecret));
        ((int)publish.StatusCode).ShouldBe(400);
    }

    [Fact]
    public async Task Client_secret_post_works_and_the_scope_defaults_to_what_the_client_may_ask()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await Token(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = organization.ClientId,
            ["client_secret"] = organization.ClientSecret,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TokenSet.ReadAsync(response)).Scope.ShouldBe("health.publish");
    }

    [Fact]
    public async Task A_wrong_secret_is_401_invalid_client()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await Token(new() { ["grant_type"] = "client_credentials" },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret + "x"));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        response.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Basic");
    }

    [Fact]
    public async Task An_unknown_client_is_401_invalid_client()
    {
        using var response = await Token(new() { ["grant_type"] = "client_credentials" }, OAuthDriver.Basic("mo-unknown", "secret"));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_confidential_client_without_a_secret_is_invalid_request()
    {
        // OpenIddict: client_credentials needs a client_secret (or an assertion) in the request itself.
        using var response = await Token(new() { ["grant_type"] = "client_credentials", ["client_id"] = Demo.MedicalOrganization.ClientId });
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Two_authentication_methods_at_once_are_invalid_request()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await Token(new() { ["grant_type"] = "client_credentials", ["client_secret"] = organization.ClientSecret },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_scope_the_client_may_not_ask_is_refused()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await Token(new() { ["grant_type"] = "client_credentials", ["scope"] = "health" },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        // OpenIddict answers a scope the client has no permission for with invalid_request.
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task The_public_client_cannot_use_client_credentials()
    {
        using var response = await Token(new() { ["grant_type"] = "client_credentials", ["client_id"] = Demo.PublicClient.ClientId });
        // OpenIddict: a public client has no secret, and client_credentials needs one.
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task An_unsupported_grant_type_is_refused()
    {
        using var response = await Token(new() { ["grant_type"] = "password", ["username"] = Demo.Patient.Username, ["password"] = Demo.Patient.Password });
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task A_json_body_is_invalid_request()
    {
        using var http = Fixture.CreateClient();
        using var response = await http.PostAsync("/connect/token",
            new StringContent("""{"grant_type":"client_credentials"}""", MediaTypeHeaderValue.Parse("application/json")));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request()
    {
        using var http = Fixture.CreateClient();
        var organization = Demo.MedicalOrganization;
        using var response = await OAuthDriver.PostFormAsync(http, "/connect/token",
            [new("grant_type", "client_credentials"), new("scope", "health.publish"), new("scope", "health.publish")],
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    private async Task<HttpResponseMessage> Token(Dictionary<string, string> body, AuthenticationHeaderValue? authorization = null)
    {
        using var http = Fixture.CreateClient();
        return await OAuthDriver.PostFormAsync(http, "/connect/token", body, authorization);
    }
}
