using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

public sealed class TotpEnrolmentTests(SignInFixture fixture) : SignInTest(fixture)
{
    private const string TotpPath = "/api/v1/account/totp";

    [Fact]
    public async Task Connecting_an_authenticator_app_makes_it_the_second_factor_and_removing_it_brings_sms_back()
    {
        var person = await Fixture.NewPatientAsync(withAuthenticatorApp: false); // SMS only so far
        Clock.MoveToStartOfTotpStep();
        using var http = Api((await SignInWithSmsAsync(person)).AccessToken);
        (await http.GetFromJsonAsync<JsonElement>(TotpPath)).GetProperty("enabled").GetBoolean().ShouldBeFalse();

        using var started = await http.PostAsync(TotpPath, null);
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        started.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var enrolment = await started.Content.ReadFromJsonAsync<JsonElement>();
        var secret = enrolment.GetProperty("secret").GetString().ShouldNotBeNull();
        secret.Length.ShouldBe(32);
        var uri = enrolment.GetProperty("otpauthUri").GetString().ShouldNotBeNull();
        uri.ShouldStartWith("otpauth://totp/");
        uri.ShouldContain($"secret={secret}");
        (await http.GetFromJsonAsync<JsonElement>(TotpPath)).GetProperty("enabled").GetBoolean().ShouldBeFalse("not before the first code");

        var code = Authenticator.CodeAt(secret, Clock.GetUtcNow());
        using (var wrong = await http.PostAsJsonAsync($"{TotpPath}/confirmation", new { code = code == "000000" ? "111111" : "000000" }))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await wrong.Content.ReadAsStringAsync()).ShouldContain("Код не подошёл");
        }
        using (var confirmed = await http.PostAsJsonAsync($"{TotpPath}/confirmation", new { code }))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
            (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().ShouldBeTrue();
        }
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SecondFactorChanged))
            .ShouldHaveSingleItem().Details["change"].ShouldBe("enabled");
        var stored = await UserAsync(person.UserId);
        stored.TotpSecret.ShouldNotBeNull().ShouldNotContain(secret);

        // Signing in now asks for the app; the code that confirmed it was used up.
        var withApp = person with { TotpSecret = secret };
        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, withApp);
        var form = await SecondFactorFormAsync(answer, "totp");
        using (var replay = await VerifyAsync(attempt, form, code))
        {
            (await ErrorTextAsync(replay)).ShouldStartWith("Этот код уже использован");
        }
        using (var next = await VerifyAsync(attempt, form, TotpCode(withApp, stepsOff: 1)))
        {
            next.StatusCode.ShouldBe(HttpStatusCode.Found);
        }

        using (var removed = await http.DeleteAsync(TotpPath))
        {
            removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SecondFactorChanged)).Select(e => e.Details["change"])
            .ShouldBe(["enabled", "disabled"]);
        var afterRemoval = NewAttempt();
        using var smsAgain = await PasswordAsync(afterRemoval, person);
        await SecondFactorFormAsync(smsAgain, "sms");
    }

    [Fact]
    public async Task Changing_the_app_needs_a_fresh_second_factor()
    {
        var person = await Fixture.NewPatientAsync();
        var browser = Fixture.NewBrowser();
        Clock.MoveToStartOfTotpStep();
        await SignInWithTotpAsync(person, NewAttempt(browser), rememberDevice: true);
        // On the remembered device the password alone signs in: amr pwd, no second factor.
        var passwordOnly = NewAttempt(browser, prompt: "login");
        using var answer = await PasswordAsync(passwordOnly, person);
        using var http = Api((await RedeemAsync(passwordOnly, answer)).AccessToken);

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => http.PostAsync(TotpPath, null),
                     () => http.PostAsJsonAsync($"{TotpPath}/confirmation", new { code = "123456" }),
                     () => http.DeleteAsync(TotpPath),
                 })
        {
            using var refused = await request();
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Войдите заново с подтверждением второго фактора");
        }
        (await UserAsync(person.UserId)).TotpEnabledAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_malformed_code_is_a_validation_problem()
    {
        var person = await Fixture.NewPatientAsync();
        Clock.MoveToStartOfTotpStep();
        using var http = Api((await SignInWithTotpAsync(person)).AccessToken);
        using (await http.PostAsync(TotpPath, null)) { }
        using var response = await http.PostAsJsonAsync($"{TotpPath}/confirmation", new { code = "12ab" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe("Введите 6 цифр кода из приложения.");
    }

    private async Task<TokenSet> SignInWithSmsAsync(DemoPatient person)
    {
        var attempt = NewAttempt();
        var sentAfter = Clock.GetUtcNow();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "sms");
        using var redirect = await VerifyAsync(attempt, form, await CodeSentToAsync(person.Phone!, sentAfter));
        return await RedeemAsync(attempt, redirect);
    }

    private HttpClient Api(string accessToken)
    {
        var http = Fixture.NewBrowser().Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }
}
