using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Seeding;
using Microsoft.Extensions.DependencyInjection;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Sessions;

/// <summary>Sessions as the person sees them: the sid of every token, the list, ending one or all, signing out.</summary>
public sealed class SessionTests(IdentityServiceFixture fixture) : IdentityTest(fixture), IAsyncLifetime
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string FirefoxOnAndroid = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";

    /// <summary>This test's own people, so that ending "all sessions" touches nobody else's.</summary>
    private DemoAccounts _people = null!;

    // With authenticator apps: a person here signs in several times a minute, more than SMS and e-mail codes allow.
    public async Task InitializeAsync() => _people = await Fixture.CreateAccountsAsync(withAuthenticatorApps: true);

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record SignedIn(OAuthDriver Browser, TokenSet Tokens)
    {
        public Guid SessionId => Guid.Parse(Tokens.Access.Claim("sid")!);
    }

    private async Task<SignedIn> SignInAsync(string username, string password, string? userAgent = null)
    {
        var browser = NewBrowser();
        if (userAgent is not null) browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return new SignedIn(browser, await browser.SignInAndRedeemAsync(username, password));
    }

    private Task<SignedIn> SignInPatientAsync(string? userAgent = null) => SignInAsync(_people.Patient.Username, _people.Patient.Password, userAgent);

    private async Task ShouldWorkAsync(string accessToken)
    {
        using var http = Fixture.CreateClient();
        using var response = await GetAsync(http, SessionsPath, accessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task ShouldBeRefusedAsync(string accessToken)
    {
        using var http = Fixture.CreateClient();
        using var response = await GetAsync(http, SessionsPath, accessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Single().Parameter!.ShouldContain("invalid_token");
    }

    private async Task<JsonElement> ListAsync(string accessToken)
    {
        using var http = Fixture.CreateClient();
        using var response = await GetAsync(http, SessionsPath, accessToken);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        return JsonDocument.Parse(body).RootElement.GetProperty("items").Clone();
    }

    private static async Task RefreshShouldFailAsync(SignedIn session)
    {
        using var refresh = await session.Browser.RefreshAsync(session.Tokens.RefreshToken!);
        await refresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>The browser's sign-in cookie no longer signs anyone in: authorize shows the login page again.</summary>
    private static async Task BrowserShouldBeSignedOutAsync(OAuthDriver browser)
    {
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        page.StatusCode.ShouldBe(HttpStatusCode.OK, "no code is issued from an ended session");
        (await page.Content.ReadAsStringAsync()).ShouldContain("<form");
    }

    [Fact]
    public async Task Tokens_carry_the_session_its_methods_the_account_level_and_consent()
    {
        var signedIn = await SignInPatientAsync();
        var access = signedIn.Tokens.Access;
        var id = Read(signedIn.Tokens.IdToken!);

        Guid.TryParse(access.Claim("sid"), out _).ShouldBeTrue();
        id.Claim("sid").ShouldBe(access.Claim("sid"), "the ID token names the same session (end-session hint)");
        access.Claims("amr").ShouldContain("pwd");
        // Test patients are created confirmed and with consent in force.
        access.Claim("acc_level").ShouldBe("confirmed");
        access.Claim("pd_consent").ShouldBe("true");

        // Rotation stays in the session.
        using var refreshed = await signedIn.Browser.RefreshAsync(signedIn.Tokens.RefreshToken!);
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK, await refreshed.Content.ReadAsStringAsync());
        var next = (await TokenSet.ReadAsync(refreshed)).Access;
        next.Claim("sid").ShouldBe(access.Claim("sid"));
        next.Claims("amr").ShouldBe(access.Claims("amr"));

        var doctor = await SignInAsync(_people.Doctor.Username, _people.Doctor.Password);
        doctor.Tokens.Access.Claim("acc_level").ShouldNotBeNull();
        doctor.Tokens.Access.Claim("pd_consent").ShouldBeNull("consent to the processing of one's data matters for a patient's own record");
    }

    [Fact]
    public async Task The_list_shows_each_sign_in_with_its_device_and_marks_the_current_one()
    {
        var onWindows = await SignInPatientAsync(ChromeOnWindows);
        var onPhone = await SignInPatientAsync(FirefoxOnAndroid);

        var items = (await ListAsync(onWindows.Tokens.AccessToken)).EnumerateArray().ToList();

        items.Select(i => i.GetProperty("id").GetGuid()).ShouldBe([onPhone.SessionId, onWindows.SessionId], ignoreOrder: true);
        var current = items.Single(i => i.GetProperty("id").GetGuid() == onWindows.SessionId);
        current.GetProperty("current").GetBoolean().ShouldBeTrue();
        current.GetProperty("device").GetString().ShouldBe("Chrome, Windows");
        current.GetProperty("userAgent").GetString().ShouldBe(ChromeOnWindows);
        current.GetProperty("client").GetProperty("clientId").GetString().ShouldBe(_people.PublicClient.ClientId);
        current.GetProperty("authenticationMethods").EnumerateArray().Select(m => m.GetString()).ShouldContain("pwd");
        current.GetProperty("createdAt").GetDateTimeOffset().ShouldBeLessThanOrEqualTo(current.GetProperty("lastSeenAt").GetDateTimeOffset());
        var other = items.Single(i => i.GetProperty("id").GetGuid() == onPhone.SessionId);
        other.GetProperty("current").GetBoolean().ShouldBeFalse();
        other.GetProperty("device").GetString().ShouldBe("Firefox, Android");

        // Another person's list has none of them.
        var stranger = await SignInAsync(_people.OtherPatient.Username, _people.OtherPatient.Password);
        var theirs = (await ListAsync(stranger.Tokens.AccessToken)).EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        theirs.ShouldBe([stranger.SessionId]);
    }

    [Fact]
    public async Task Ending_one_session_stops_its_tokens_at_once_and_leaves_the_others()
    {
        var kept = await SignInPatientAsync();
        var ended = await SignInPatientAsync();

        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Delete, $"{SessionsPath}/{ended.SessionId}", kept.Tokens.AccessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());

        await ShouldBeRefusedAsync(ended.Tokens.AccessToken);
        await RefreshShouldFailAsync(ended);
        await BrowserShouldBeSignedOutAsync(ended.Browser);
        await ShouldWorkAsync(kept.Tokens.AccessToken);
        using var refreshKept = await kept.Browser.RefreshAsync(kept.Tokens.RefreshToken!);
        refreshKept.StatusCode.ShouldBe(HttpStatusCode.OK);

        var events = await SecurityEventsAsync(Fixture.Factory.Services, _people.Patient.UserId, SecurityEventKinds.SessionEnded);
        events.ShouldContain(e => e.Details["session_id"] == ended.SessionId.ToString() && e.Details["reason"] == "ended_by_user");
        (await ListAsync(kept.Tokens.AccessToken)).EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldNotContain(ended.SessionId);
    }

    [Fact]
    public async Task Another_persons_session_is_not_found_and_keeps_working()
    {
        var mine = await SignInPatientAsync();
        var theirs = await SignInAsync(_people.OtherPatient.Username, _people.OtherPatient.Password);

        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Delete, $"{SessionsPath}/{theirs.SessionId}", mine.Tokens.AccessToken);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!.ShouldMatch("[а-яА-Я]");
        await ShouldWorkAsync(theirs.Tokens.AccessToken);

        using var unknown = await SendAsync(http, HttpMethod.Delete, $"{SessionsPath}/{Guid.CreateVersion7()}", mine.Tokens.AccessToken);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ending_all_sessions_can_keep_the_current_one()
    {
        var current = await SignInPatientAsync();
        var second = await SignInPatientAsync();
        var third = await SignInPatientAsync();

        using var http = Fixture.CreateClient();
        using (var response = await SendAsync(http, HttpMethod.Delete, SessionsPath + "?keepCurrent=true", current.Tokens.AccessToken))
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            JsonDocument.Parse(body).RootElement.GetProperty("ended").GetInt32().ShouldBe(2);
        }
        await ShouldBeRefusedAsync(second.Tokens.AccessToken);
        await ShouldBeRefusedAsync(third.Tokens.AccessToken);
        await RefreshShouldFailAsync(third);
        await ShouldWorkAsync(current.Tokens.AccessToken);

        using (var response = await SendAsync(http, HttpMethod.Delete, SessionsPath, current.Tokens.AccessToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        await ShouldBeRefusedAsync(current.Tokens.AccessToken);
        await RefreshShouldFailAsync(current);
    }

    [Fact]
    public async Task Signing_out_stops_the_access_token_revokes_the_refresh_token_and_ends_the_browser_session()
    {
        var signedIn = await SignInPatientAsync();

        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Post, SignOutPath, signedIn.Tokens.AccessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());

        await ShouldBeRefusedAsync(signedIn.Tokens.AccessToken);
        await RefreshShouldFailAsync(signedIn);
        await BrowserShouldBeSignedOutAsync(signedIn.Browser);
        var events = await SecurityEventsAsync(Fixture.Factory.Services, _people.Patient.UserId, SecurityEventKinds.SignedOut);
        events.ShouldContain(e => e.Details["session_id"] == signedIn.SessionId.ToString());
    }

    [Fact]
    public async Task Signing_out_stops_even_a_token_without_a_session()
    {
        var token = await SignWithServiceKeyAsync(Fixture.Factory.Services, IdentityServiceFixture.Issuer, "at+jwt", IdentityServiceFixture.Audience,
            new Dictionary<string, object>
            {
                ["sub"] = _people.Patient.UserId.ToString(), ["role"] = "patient", ["scope"] = "openid health",
                ["client_id"] = _people.PublicClient.ClientId, ["jti"] = Guid.CreateVersion7().ToString(),
            });
        await ShouldWorkAsync(token);

        using var http = Fixture.CreateClient();
        using var response = await SendAsync(http, HttpMethod.Post, SignOutPath, token);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldBeRefusedAsync(token);
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_its_session()
    {
        var signedIn = await SignInPatientAsync();
        using var first = await signedIn.Browser.RefreshAsync(signedIn.Tokens.RefreshToken!);
        var newest = await TokenSet.ReadAsync(first);

        using var reuse = await signedIn.Browser.RefreshAsync(signedIn.Tokens.RefreshToken!);
        await reuse.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");

        using var newestRefresh = await signedIn.Browser.RefreshAsync(newest.RefreshToken!);
        await newestRefresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        await ShouldBeRefusedAsync(newest.AccessToken);
        var events = await SecurityEventsAsync(Fixture.Factory.Services, _people.Patient.UserId, SecurityEventKinds.SessionEnded);
        events.ShouldContain(e => e.Details["session_id"] == signedIn.SessionId.ToString() && e.Details["reason"] == "refresh_token_reused");
    }

    [Fact]
    public async Task A_token_acting_for_someone_else_cannot_see_or_end_their_sessions()
    {
        var principal = await SignInPatientAsync();
        var acting = await SignWithServiceKeyAsync(Fixture.Factory.Services, IdentityServiceFixture.Issuer, "at+jwt", IdentityServiceFixture.Audience,
            new Dictionary<string, object>
            {
                ["sub"] = _people.Patient.UserId.ToString(), ["role"] = "patient", ["scope"] = "health.delegated.records",
                ["client_id"] = _people.PublicClient.ClientId, ["jti"] = Guid.CreateVersion7().ToString(),
                ["act"] = new Dictionary<string, object> { ["sub"] = _people.OtherPatient.UserId.ToString() },
                ["del"] = Guid.CreateVersion7().ToString(),
            });

        using var http = Fixture.CreateClient();
        using var list = await GetAsync(http, SessionsPath, acting);
        list.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await list.Content.ReadAsStringAsync()).ShouldNotContain(principal.SessionId.ToString());
        using var end = await SendAsync(http, HttpMethod.Delete, SessionsPath, acting);
        end.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await ShouldWorkAsync(principal.Tokens.AccessToken);
    }

    [Fact]
    public async Task Sessions_need_a_persons_own_token()
    {
        using var http = Fixture.CreateClient();
        using var anonymous = await GetAsync(http, SessionsPath, token: null);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var organization = _people.MedicalOrganization;
        using var tokenResponse = await OAuthDriver.PostFormAsync(http, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        var machine = await TokenSet.ReadAsync(tokenResponse);
        using var response = await GetAsync(http, SessionsPath, machine.AccessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
