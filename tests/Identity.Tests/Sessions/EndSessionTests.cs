using System.Net;
using System.Security.Cryptography;
using System.Web;
using Gosuslugi.Health.Identity.Seeding;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Sessions;

/// <summary>OpenID Connect RP-Initiated Logout at /connect/endsession.</summary>
public sealed class EndSessionTests(IdentityServiceFixture fixture) : IdentityTest(fixture), IAsyncLifetime
{
    private const string EndSessionPath = "/connect/endsession";

    private DemoAccounts _people = null!;

    // With authenticator apps: a person here signs in several times a minute, more than SMS and e-mail codes allow.
    public async Task InitializeAsync() => _people = await Fixture.CreateAccountsAsync(withAuthenticatorApps: true);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(OAuthDriver Browser, TokenSet Tokens)> SignInAsync()
    {
        var browser = NewBrowser();
        return (browser, await browser.SignInAndRedeemAsync(_people.Patient.Username, _people.Patient.Password));
    }

    private static string EndSessionUrl(params (string Name, string Value)[] parameters) =>
        EndSessionPath + "?" + string.Join('&', parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));

    private async Task<HttpStatusCode> StatusWithAsync(string accessToken)
    {
        using var http = Fixture.CreateClient();
        using var response = await GetAsync(http, SessionsPath, accessToken);
        return response.StatusCode;
    }

    private static async Task ShouldBeSignedOutAsync(OAuthDriver browser)
    {
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        page.StatusCode.ShouldBe(HttpStatusCode.OK, "the login page again, not a redirect with a code");
    }

    [Fact]
    public async Task An_id_token_hint_ends_the_session_and_returns_to_the_registered_address_with_the_state()
    {
        var (browser, tokens) = await SignInAsync();

        using var response = await browser.Http.GetAsync(EndSessionUrl(
            ("id_token_hint", tokens.IdToken!), ("post_logout_redirect_uri", browser.RedirectUri), ("state", "после-выхода")));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(browser.RedirectUri);
        HttpUtility.ParseQueryString(location.Query)["state"].ShouldBe("после-выхода");
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
        using var refresh = await browser.RefreshAsync(tokens.RefreshToken!);
        await refresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        await ShouldBeSignedOutAsync(browser);
    }

    [Fact]
    public async Task An_expired_id_token_is_still_a_good_hint()
    {
        var (browser, tokens) = await SignInAsync();
        var real = new JsonWebToken(tokens.IdToken!);
        var expired = await SignWithServiceKeyAsync(Fixture.Factory.Services, IdentityServiceFixture.Issuer, "JWT", browser.ClientId,
            new Dictionary<string, object> { ["sub"] = real.Subject, ["sid"] = real.Claim("sid")! }, expires: DateTimeOffset.UtcNow.AddHours(-3));

        using var http = Fixture.CreateClient(); // another browser: the hint alone names the session
        using var response = await http.GetAsync(EndSessionUrl(("id_token_hint", expired)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Вы вышли");
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_hint_is_refused_and_ends_nothing()
    {
        var (browser, tokens) = await SignInAsync();
        var real = new JsonWebToken(tokens.IdToken!);
        using var rsa = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "JWT",
            Issuer = IdentityServiceFixture.Issuer,
            Audience = browser.ClientId,
            Claims = new Dictionary<string, object> { ["sub"] = real.Subject, ["sid"] = real.Claim("sid")! },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = real.Kid }, SecurityAlgorithms.RsaSha256),
        });

        using var http = Fixture.CreateClient();
        using var response = await http.GetAsync(EndSessionUrl(("id_token_hint", forged), ("post_logout_redirect_uri", browser.RedirectUri)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("http://localhost/callback/../evil")]
    [InlineData("http://localhost/callback?x=1")]
    public async Task An_unregistered_return_address_is_refused_and_ends_nothing(string redirect)
    {
        var (browser, tokens) = await SignInAsync();

        using var response = await browser.Http.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken!), ("post_logout_redirect_uri", redirect)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldContain("Адрес возврата не зарегистрирован");
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_hint_for_another_client_than_client_id_is_refused()
    {
        var (browser, tokens) = await SignInAsync();

        using var response = await browser.Http.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken!), ("client_id", _people.MedicalOrganization.ClientId)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_hint_the_person_confirms_before_being_signed_out()
    {
        var (browser, tokens) = await SignInAsync();

        using var page = await browser.Http.GetAsync(EndSessionUrl(("client_id", browser.ClientId), ("post_logout_redirect_uri", browser.RedirectUri), ("state", "s1")));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var form = OAuthDriver.ParseForm(await page.Content.ReadAsStringAsync());
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK, "a link alone signs nobody out");

        // A cross-site form without the antiforgery token gets the question again.
        var withoutAntiforgery = form.Fields.Where(f => !f.Key.Contains("RequestVerificationToken", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value);
        using (var forged = await browser.Http.PostAsync(EndSessionPath, new FormUrlEncodedContent(withoutAntiforgery)))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);

        using var confirmed = await browser.Http.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));
        confirmed.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await confirmed.Content.ReadAsStringAsync());
        HttpUtility.ParseQueryString(confirmed.Headers.Location!.Query)["state"].ShouldBe("s1");
        (await StatusWithAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
        await ShouldBeSignedOutAsync(browser);
    }

    [Fact]
    public async Task A_hint_of_another_person_does_not_sign_out_the_browsers_own_session()
    {
        var (browser, mine) = await SignInAsync();
        var stranger = NewBrowser();
        var theirs = await stranger.SignInAndRedeemAsync(_people.OtherPatient.Username, _people.OtherPatient.Password);

        using var response = await browser.Http.GetAsync(EndSessionUrl(("id_token_hint", theirs.IdToken!)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StatusWithAsync(theirs.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized, "the hint's own session ends");
        (await StatusWithAsync(mine.AccessToken)).ShouldBe(HttpStatusCode.OK, "the browser belongs to someone else");
    }
}
