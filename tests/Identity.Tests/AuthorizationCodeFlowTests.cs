using OpenIddict.Abstractions;
using System.Net;
using System.Web;
using Gosuslugi.Health.Identity.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class AuthorizationCodeFlowTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task A_patient_signs_in_with_code_and_pkce_and_gets_valid_tokens()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var parameters = browser.AuthorizeParameters(verifier);

        // The login page.
        using var page = await browser.GetAuthorizeAsync(parameters);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("lang=\"ru\"");
        html.ShouldContain("Войти");
        var form = OAuthDriver.ParseForm(html);
        form.Action.ShouldBe("/connect/authorize");
        form.Fields.Keys.ShouldContain("username");
        form.Fields.Keys.ShouldContain("password");
        form.Fields.Keys.ShouldContain("__RequestVerificationToken");
        form.Fields["state"].ShouldBe(parameters["state"]);
        form.Fields["code_challenge"].ShouldBe(parameters["code_challenge"]);

        // Credentials posted: the second-factor page; the code from the authenticator app; back to the client with a 303.
        var requestedAt = DateTimeOffset.UtcNow;
        using var passwordAnswer = await browser.SubmitLoginAsync(form, patient.Username, patient.Password);
        passwordAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await passwordAnswer.Content.ReadAsStringAsync()).ShouldContain("Подтверждение входа");
        using var signedIn = await browser.PassSecondFactorAsync(passwordAnswer, patient.Username, requestedAt);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Found, await signedIn.Content.ReadAsStringAsync());
        var callback = browser.CallbackQuery(signedIn);
        callback["state"].ShouldBe(parameters["state"]);
        callback["iss"].ShouldBe(IdentityServiceFixture.Issuer);
        var code = callback["code"].ShouldNotBeNull();

        // Back channel.
        using var response = await browser.RedeemCodeAsync(code, verifier);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var tokens = await TokenSet.ReadAsync(response);
        tokens.TokenType.ShouldBe("Bearer");
        tokens.ExpiresIn.ShouldBe(600);
        tokens.Scope.Split(' ').ShouldBe(["openid", "profile", "offline_access", "health"], ignoreOrder: true);
        tokens.RefreshToken.ShouldNotBeNullOrEmpty();

        var validation = await ValidateAccessTokenAsync(tokens.AccessToken);
        validation.IsValid.ShouldBeTrue(validation.Exception?.Message);
        var access = tokens.Access;
        access.Typ.ShouldBe("at+jwt");
        access.Alg.ShouldBe("ES256");
        access.Kid.ShouldNotBeNullOrEmpty();
        access.Issuer.ShouldBe(IdentityServiceFixture.Issuer);
        access.Audiences.ShouldBe([IdentityServiceFixture.Audience]);
        access.Subject.ShouldBe(patient.UserId.ToString());
        access.GetClaim("client_id").Value.ShouldBe(Demo.PublicClient.ClientId);
        access.GetClaim("role").Value.ShouldBe("patient");
        access.GetClaim("snils").Value.ShouldBe(patient.Snils);
        access.GetClaim("scope").Value.ShouldBe(tokens.Scope);
        access.Id.ShouldNotBeNullOrEmpty();
        access.TryGetClaim("auth_time", out _).ShouldBeTrue();
        access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ShouldBe(["pwd", "otp", "mfa"], ignoreOrder: true);
        access.TryGetClaim("sid", out _).ShouldBeTrue();
        access.TryGetClaim("org_id", out _).ShouldBeFalse();
        (access.ValidTo - access.IssuedAt).ShouldBe(TimeSpan.FromMinutes(10));
        access.ValidFrom.ShouldBe(access.IssuedAt);

        // The ID token is for the client itself.
        var id = new JsonWebToken(tokens.IdToken.ShouldNotBeNull());
        id.Audiences.ShouldBe([Demo.PublicClient.ClientId]);
        id.Issuer.ShouldBe(IdentityServiceFixture.Issuer);
        id.Subject.ShouldBe(patient.UserId.ToString());
        id.GetClaim("nonce").Value.ShouldBe(parameters["nonce"]);
        id.Typ.ShouldBe("JWT");
        (await GetJwksAsync()).Keys.Select(k => k.Kid).ShouldContain(id.Kid);
    }

    [Fact]
    public async Task The_login_page_cannot_be_framed_or_cached()
    {
        var browser = NewBrowser();
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        page.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        page.Headers.CacheControl!.NoStore.ShouldBeTrue();
        page.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
    }

    [Fact]
    public async Task A_doctor_token_carries_the_organization()
    {
        var tokens = await NewBrowser().SignInAndRedeemAsync(Demo.Doctor.Username, Demo.Doctor.Password, "openid health");
        var access = tokens.Access;
        access.GetClaim("role").Value.ShouldBe("doctor");
        access.GetClaim("org_id").Value.ShouldBe(Demo.Doctor.OrganizationId.ToString());
        access.TryGetClaim("snils", out _).ShouldBeFalse();
        tokens.RefreshToken.ShouldBeNull(); // no offline_access asked
    }

    [Fact]
    public async Task Several_roles_become_a_role_array()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        await Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.AddToRoleAsync((await users.FindByNameAsync(accounts.Doctor.Username))!, "admin");
        });

        var tokens = await NewBrowser().SignInAndRedeemAsync(accounts.Doctor.Username, accounts.Doctor.Password, "openid health");
        using var payload = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.Decode(tokens.AccessToken.Split('.')[1]));
        payload.RootElement.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["admin", "doctor"]);
    }

    [Fact]
    public async Task A_patient_can_sign_in_with_their_snils()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var formatted = $"{accounts.Patient.Snils[..3]}-{accounts.Patient.Snils[3..6]}-{accounts.Patient.Snils[6..9]} {accounts.Patient.Snils[9..]}";
        var tokens = await NewBrowser().SignInAndRedeemAsync(formatted, accounts.Patient.Password);
        tokens.Access.Subject.ShouldBe(accounts.Patient.UserId.ToString());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_login_get_the_same_russian_message()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var browser = NewBrowser();
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());

        using var wrongPassword = await browser.LoginAsync(parameters, accounts.Patient.Username, "Неверный-пароль-1");
        using var unknownLogin = await browser.LoginAsync(parameters, "nobody-" + Guid.NewGuid().ToString("N")[..8], "Неверный-пароль-1");

        foreach (var response in new[] { wrongPassword, unknownLogin })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.Location.ShouldBeNull();
        }
        var first = ErrorText(await wrongPassword.Content.ReadAsStringAsync());
        var second = ErrorText(await unknownLogin.Content.ReadAsStringAsync());
        first.ShouldStartWith("Неверный логин или пароль");
        second.ShouldBe(first);

        // The page comes back ready for another attempt, with the OAuth parameters intact.
        var again = OAuthDriver.ParseForm(await wrongPassword.Content.ReadAsStringAsync());
        again.Fields["state"].ShouldBe(parameters["state"]);
        var requestedAt = DateTimeOffset.UtcNow;
        using var retry = await browser.SubmitLoginAsync(again, accounts.Patient.Username, accounts.Patient.Password);
        using var signedIn = await browser.PassSecondFactorAsync(retry, accounts.Patient.Username, requestedAt);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Found);
    }

    [Fact]
    public async Task Three_wrong_passwords_lock_the_account()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        var browser = NewBrowser();
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());
        for (var i = 1; i <= 3; i++)
        {
            using var failed = await browser.LoginAsync(parameters, accounts.Patient.Username, "wrong-password-" + i);
            failed.StatusCode.ShouldBe(HttpStatusCode.OK);
            ErrorText(await failed.Content.ReadAsStringAsync()).ShouldStartWith(i < 3 ? "Неверный логин или пароль" : "Вход временно заблокирован до");
        }

        // The right password now gets the same answer, and no second-factor page.
        using var locked = await browser.LoginAsync(parameters, accounts.Patient.Username, accounts.Patient.Password);
        locked.StatusCode.ShouldBe(HttpStatusCode.OK);
        ErrorText(await locked.Content.ReadAsStringAsync()).ShouldStartWith("Вход временно заблокирован до");
    }

    [Fact]
    public async Task A_login_form_without_its_antiforgery_token_is_refused()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        var form = OAuthDriver.ParseForm(await page.Content.ReadAsStringAsync());
        form.Fields.Remove("__RequestVerificationToken");

        using var response = await browser.SubmitLoginAsync(form, patient.Username, patient.Password);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task A_signed_in_browser_gets_a_code_without_the_login_page()
    {
        var browser = NewBrowser();
        await browser.SignInAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()), Demo.OtherPatient.Username, Demo.OtherPatient.Password);

        var verifier = OAuthDriver.NewVerifier();
        using var response = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(verifier));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var code = browser.CallbackQuery(response)["code"].ShouldNotBeNull();
        using var tokens = await browser.RedeemCodeAsync(code, verifier);
        (await TokenSet.ReadAsync(tokens)).Access.Subject.ShouldBe(Demo.OtherPatient.UserId.ToString());

        // prompt=login asks for the password again.
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());
        parameters["prompt"] = "login";
        using var page = await browser.GetAuthorizeAsync(parameters);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required()
    {
        var browser = NewBrowser();
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());
        parameters["prompt"] = "none";
        using var response = await browser.GetAuthorizeAsync(parameters);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.CallbackQuery(response)["error"].ShouldBe("login_required");
    }

    [Theory]
    [InlineData("client_id", "unknown-client")]
    [InlineData("client_id", null)]
    [InlineData("redirect_uri", "https://evil.example/callback")]
    [InlineData("redirect_uri", "http://localhost/callback/")]
    [InlineData("redirect_uri", "http://localhost/callback?x=1")]
    [InlineData("redirect_uri", null)]
    public async Task An_untrusted_client_or_redirect_uri_gets_an_error_page_and_no_redirect(string parameter, string? value)
    {
        var browser = NewBrowser();
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());
        parameters[parameter] = value;

        using var response = await browser.GetAuthorizeAsync(parameters);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Не удалось начать вход");
        html.ShouldNotContain("<form");
    }

    [Theory]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge", "too-short", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("response_type", "code id_token", "unsupported_response_type")]
    // A scope the client may not ask for: OpenIddict answers invalid_request.
    [InlineData("scope", "openid health.publish", "invalid_request")]
    [InlineData("scope", null, "invalid_scope")]
    public async Task A_bad_authorization_request_is_redirected_back_with_an_error(string parameter, string? value, string error)
    {
        var browser = NewBrowser();
        var parameters = browser.AuthorizeParameters(OAuthDriver.NewVerifier());
        parameters[parameter] = value;

        using var response = await browser.GetAuthorizeAsync(parameters);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var callback = browser.CallbackQuery(response);
        callback["error"].ShouldBe(error);
        callback["error_description"].ShouldNotBeNullOrEmpty();
        callback["state"].ShouldBe(parameters["state"]);
        callback["iss"].ShouldBe(IdentityServiceFixture.Issuer);
        callback["code"].ShouldBeNull();
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()), patient.Username, patient.Password);
        using var response = await browser.RedeemCodeAsync(callback["code"]!, OAuthDriver.NewVerifier());
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_missing_code_verifier_is_invalid_request()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()), patient.Username, patient.Password);
        using var response = await browser.PostTokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = callback["code"]!,
            ["redirect_uri"] = browser.RedirectUri,
            ["client_id"] = browser.ClientId,
        });
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_redirect_uri_that_differs_from_the_authorization_request_is_invalid_grant()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(verifier), patient.Username, patient.Password);
        using var response = await browser.RedeemCodeAsync(callback["code"]!, verifier, redirect: browser.RedirectUri + "/other");
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_redeemed_by_another_client_is_invalid_grant()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(verifier), patient.Username, patient.Password);
        await Fixture.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ClientRegistry>().EnsurePublicClientAsync("other-app", "Другое приложение", browser.RedirectUri, default);
            return true;
        });

        var otherApp = new OAuthDriver(browser.Http, "other-app", browser.RedirectUri);
        using var response = await otherApp.RedeemCodeAsync(callback["code"]!, verifier);
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_confidential_client_without_the_code_grant_gets_no_tokens()
    {
        var organization = Demo.MedicalOrganization;
        using var response = await NewBrowser().PostTokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "whatever",
            ["redirect_uri"] = Demo.PublicClient.RedirectUri,
            ["code_verifier"] = OAuthDriver.NewVerifier(),
        }, OAuthDriver.Basic(organization.ClientId, organization.ClientSecret));
        // OpenIddict reads the code before the client's grants: a code that is not this client's is invalid_grant first.
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_reused_code_is_refused_and_revokes_the_tokens_issued_from_it()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(verifier), patient.Username, patient.Password);

        using var first = await browser.RedeemCodeAsync(callback["code"]!, verifier);
        var tokens = await TokenSet.ReadAsync(first);

        using var replay = await browser.RedeemCodeAsync(callback["code"]!, verifier);
        await replay.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");

        using var refresh = await browser.RefreshAsync(tokens.RefreshToken!);
        await refresh.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task An_expired_code_is_invalid_grant()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(verifier), patient.Username, patient.Password);
        var lifetime = await Fixture.WithDbAsync(async db =>
        {
            var row = await db.Tokens.SingleAsync(t => t.Subject == patient.UserId.ToString()
                && t.Type == OpenIddictConstants.TokenTypeIdentifiers.Private.AuthorizationCode);
            await db.Tokens.Where(t => t.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpirationDate, DateTime.UtcNow.AddSeconds(-1)));
            return row.ExpirationDate - row.CreationDate;
        });
        lifetime.ShouldBe(TimeSpan.FromSeconds(60));

        using var response = await browser.RedeemCodeAsync(callback["code"]!, verifier);
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Codes_and_refresh_tokens_are_stored_only_as_hashes()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var callback = await browser.SignInAsync(browser.AuthorizeParameters(verifier), patient.Username, patient.Password);
        using var response = await browser.RedeemCodeAsync(callback["code"]!, verifier);
        var tokens = await TokenSet.ReadAsync(response);

        var rows = await Fixture.WithDbAsync(db => db.Tokens.AsNoTracking().Where(t => t.Subject == patient.UserId.ToString()).ToListAsync());
        rows.Select(r => r.Type).ShouldBe(
            [OpenIddictConstants.TokenTypeIdentifiers.Private.AuthorizationCode, OpenIddictConstants.TokenTypeIdentifiers.RefreshToken], ignoreOrder: true);
        foreach (var row in rows)
        {
            row.ReferenceId.ShouldNotBe(callback["code"]);
            row.ReferenceId.ShouldNotBe(tokens.RefreshToken);
            (row.Payload ?? "").ShouldNotContain(callback["code"]!);
            (row.Payload ?? "").ShouldNotContain(tokens.RefreshToken!);
        }
    }

    [Fact]
    public async Task An_unknown_code_is_invalid_grant()
    {
        var browser = NewBrowser();
        using var response = await browser.RedeemCodeAsync("not-a-code", OAuthDriver.NewVerifier());
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("role=\"alert\">", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "the page shows no error");
        start += "role=\"alert\">".Length;
        return HttpUtility.HtmlDecode(html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)]);
    }
}
