using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class RevocationAndUserInfoTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task A_revoked_refresh_token_can_no_longer_be_used()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);

        using var revoked = await Revoke(browser, new() { ["token"] = tokens.RefreshToken!, ["token_type_hint"] = "refresh_token", ["client_id"] = browser.ClientId });
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var refresh = await browser.RefreshAsync(tokens.RefreshToken!);
        await refresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Revoking_an_unknown_token_answers_200()
    {
        var browser = NewBrowser();
        using var unknown = await Revoke(browser, new() { ["token"] = "unknown", ["client_id"] = browser.ClientId });
        unknown.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var unknownJwt = await Revoke(browser, new() { ["token"] = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", ["token_type_hint"] = "access_token", ["client_id"] = browser.ClientId });
        unknownJwt.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData(null)]
    public async Task A_revoked_access_token_stops_at_once(string? hint)
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        (await UserInfoStatusAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);

        var body = new Dictionary<string, string> { ["token"] = tokens.AccessToken, ["client_id"] = browser.ClientId };
        if (hint is not null) body["token_type_hint"] = hint;
        using var revoked = await Revoke(browser, body);
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await UserInfoStatusAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized, "its jti is on the deny-list until it expires");
        using var refresh = await browser.RefreshAsync(tokens.RefreshToken!);
        refresh.StatusCode.ShouldBe(HttpStatusCode.OK, "revoking one access token leaves the sign-in");
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_access_token()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        var organization = Demo.MedicalOrganization;

        using var response = await OAuthDriver.PostFormAsync(browser.Http, "/connect/revocation",
            new Dictionary<string, string> { ["token"] = tokens.AccessToken }, OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        // RFC 7009 §2.2: the same 200 as for any token the client cannot revoke; nothing is revoked.
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await UserInfoStatusAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Introspection_says_inactive_for_a_revoked_access_token()
    {
        var organization = Demo.MedicalOrganization;
        var credentials = OAuthDriver.Basic(organization.ClientId, organization.ClientSecret);
        using var http = Fixture.CreateClient();
        using var issued = await OAuthDriver.PostFormAsync(http, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "health.publish" }, credentials);
        var token = (await TokenSet.ReadAsync(issued)).AccessToken;

        async Task<bool> ActiveAsync()
        {
            using var response = await OAuthDriver.PostFormAsync(http, "/connect/introspect",
                new Dictionary<string, string> { ["token"] = token }, credentials);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("active").GetBoolean();
        }

        (await ActiveAsync()).ShouldBeTrue();
        using (var revoked = await OAuthDriver.PostFormAsync(http, "/connect/revocation", new Dictionary<string, string> { ["token"] = token }, credentials))
            revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ActiveAsync()).ShouldBeFalse("its jti is on the deny-list, as the gateway and services see it");
    }

    private async Task<HttpStatusCode> UserInfoStatusAsync(string accessToken)
    {
        using var http = Fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_token()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        var organization = Demo.MedicalOrganization;

        using var response = await OAuthDriver.PostFormAsync(browser.Http, "/connect/revocation",
            new Dictionary<string, string> { ["token"] = tokens.RefreshToken! },
            OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        response.StatusCode.ShouldBe(HttpStatusCode.OK); // RFC 7009 §2.2: it tells nothing; nothing is revoked

        using var refresh = await browser.RefreshAsync(tokens.RefreshToken!);
        refresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revocation_requires_client_authentication()
    {
        var browser = NewBrowser();
        using var response = await Revoke(browser, new() { ["token"] = "whatever" });
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Userinfo_describes_the_signed_in_patient()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await browser.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        root.GetProperty("sub").GetString().ShouldBe(patient.UserId.ToString());
        root.GetProperty("family_name").GetString().ShouldBe(patient.FamilyName);
        root.GetProperty("given_name").GetString().ShouldBe(patient.GivenName);
        root.GetProperty("birthdate").GetString().ShouldBe(patient.BirthDate.ToString("yyyy-MM-dd"));
        root.GetProperty("snils").GetString().ShouldBe(patient.Snils);
        root.GetProperty("preferred_username").GetString().ShouldBe(patient.Username);
        root.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["patient"]);
    }

    [Fact]
    public async Task Userinfo_without_a_valid_token_is_401()
    {
        using var http = Fixture.CreateClient();
        using var none = await http.GetAsync("/connect/userinfo");
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.Single().Scheme.ShouldBe("Bearer");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        using var forged = await http.SendAsync(request);
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        forged.Headers.WwwAuthenticate.Single().Parameter!.ShouldContain("invalid_token");
    }

    [Fact]
    public async Task Userinfo_needs_the_openid_scope()
    {
        var organization = Demo.MedicalOrganization;
        using var http = Fixture.CreateClient();
        using var tokenResponse = await OAuthDriver.PostFormAsync(http, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        var tokens = await TokenSet.ReadAsync(tokenResponse);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.WwwAuthenticate.Single().Parameter!.ShouldContain("insufficient_scope");
    }

    private static Task<HttpResponseMessage> Revoke(OAuthDriver browser, Dictionary<string, string> body) =>
        OAuthDriver.PostFormAsync(browser.Http, "/connect/revocation", body);
}
