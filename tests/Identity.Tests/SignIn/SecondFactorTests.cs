using System.Net;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

public sealed class SecondFactorTests(SignInFixture fixture) : SignInTest(fixture)
{
    [Fact]
    public async Task The_password_alone_gives_no_code_and_no_session()
    {
        var person = await Fixture.NewPatientAsync();
        var attempt = NewAttempt();

        using var answer = await PasswordAsync(attempt, person);
        answer.Headers.Location.ShouldBeNull();
        var form = await SecondFactorFormAsync(answer, "totp");
        form.Action.ShouldBe("/connect/authorize/second-factor");
        form.Fields["state"].ShouldBe(attempt.Parameters["state"]);
        var html = await answer.Content.ReadAsStringAsync();
        html.ShouldContain("Подтверждение входа");
        html.ShouldContain("Запомнить это устройство на 30 дней");
        html.ShouldContain("value=\"use-sms\""); // another way: the confirmed phone
        answer.Headers.GetValues("Content-Security-Policy").Single().ShouldNotContain("script-src");

        // Half signed in: a protected short-lived cookie for /connect, no session.
        var pending = attempt.Browser.Cookie(PendingSignIns.CookieName).ShouldNotBeNull();
        pending.HttpOnly.ShouldBeTrue();
        pending.Path.ShouldBe("/connect");
        pending.Value.ShouldNotContain(person.UserId.ToString());
        attempt.Browser.Cookie("gosuslugi.health.session").ShouldBeNull();
        using var again = await attempt.Browser.Driver.GetAuthorizeAsync(attempt.Browser.Driver.AuthorizeParameters(OAuthDriver.NewVerifier()));
        again.StatusCode.ShouldBe(HttpStatusCode.OK, "still the sign-in page, not a code");
        (await Fixture.WithDbAsync(db => db.Tokens.CountAsync(t => t.Subject == person.UserId.ToString()))).ShouldBe(0, "no code was issued");
    }

    [Fact]
    public async Task An_sms_code_signs_in_and_the_methods_reach_the_tokens()
    {
        var person = await Fixture.NewPatientAsync(withAuthenticatorApp: false); // no authenticator app: SMS is the default
        var attempt = NewAttempt();
        var sentAfter = Clock.GetUtcNow();

        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "sms");
        var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        html.ShouldContain($"+7 *** ***-{person.Phone![^4..^2]}-{person.Phone[^2..]}");
        html.ShouldNotContain(person.Phone);
        var code = await CodeSentToAsync(person.Phone, sentAfter);

        using var redirect = await VerifyAsync(attempt, form, code);
        var tokens = await RedeemAsync(attempt, redirect);
        tokens.Access.GetClaim("amr").ShouldNotBeNull();
        var amr = tokens.Access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ToList();
        amr.ShouldBe(["pwd", "sms", "mfa"], ignoreOrder: true);
        var sid = Guid.Parse(tokens.Access.GetClaim("sid").Value);
        var session = await Fixture.WithDbAsync(db => db.Sessions.SingleAsync(s => s.Id == sid));
        session.UserId.ShouldBe(person.UserId);
        session.AuthenticationMethods.Split(' ').ShouldBe(["pwd", "sms", "mfa"], ignoreOrder: true);
        attempt.Browser.Cookie(PendingSignIns.CookieName).ShouldBeNull();

        var succeeded = (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SignInSucceeded)).ShouldHaveSingleItem();
        succeeded.Details["factor"].ShouldBe("sms");
    }

    [Fact]
    public async Task A_wrong_code_counts_as_a_failed_attempt()
    {
        var person = await Fixture.NewPatientAsync(withAuthenticatorApp: false);
        var attempt = NewAttempt();
        var sentAfter = Clock.GetUtcNow();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "sms");
        var code = await CodeSentToAsync(person.Phone!, sentAfter);

        using var wrong = await VerifyAsync(attempt, form, code == "000000" ? "111111" : "000000");
        var error = await ErrorTextAsync(wrong);
        error.ShouldStartWith("Неверный код");
        error.ShouldContain("Осталось попыток до временной блокировки: 2");
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(1);
        var failed = (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SecondFactorFailed)).ShouldHaveSingleItem();
        failed.Details["reason"].ShouldBe("wrong_code");
        failed.Details["attempt"].ShouldBe("1");
        failed.Details.Values.ShouldNotContain(code);

        // The right code still works, and the sign-in starts the count over.
        using var redirect = await VerifyAsync(attempt, SignInFormOf(await wrong.Content.ReadAsStringAsync()), code);
        redirect.StatusCode.ShouldBe(HttpStatusCode.Found);
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(0);
    }

    [Fact]
    public async Task An_expired_sms_code_is_refused()
    {
        var person = await Fixture.NewPatientAsync(withAuthenticatorApp: false);
        var attempt = NewAttempt();
        var sentAfter = Clock.GetUtcNow();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "sms");
        var code = await CodeSentToAsync(person.Phone!, sentAfter);

        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var late = await VerifyAsync(attempt, form, code);
        (await ErrorTextAsync(late)).ShouldStartWith("Срок действия кода истёк");
        late.Headers.Location.ShouldBeNull();
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_used_sms_code_is_refused_when_the_request_is_replayed()
    {
        var person = await Fixture.NewPatientAsync(withAuthenticatorApp: false);
        var attempt = NewAttempt();
        var sentAfter = Clock.GetUtcNow();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "sms");
        var code = await CodeSentToAsync(person.Phone!, sentAfter);
        // Everything the browser sends with the code, as someone who captured the request would replay it.
        var capturedCookies = attempt.Browser.Cookies.GetCookieHeader(new Uri(IdentityServiceFixture.Issuer + form.Action));

        using var redirect = await VerifyAsync(attempt, form, code);
        redirect.StatusCode.ShouldBe(HttpStatusCode.Found);

        var replayer = Fixture.NewBrowser();
        var fields = new Dictionary<string, string>(form.Fields) { ["action"] = "verify", ["code"] = code };
        using var replay = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(fields) };
        replay.Headers.Add("Cookie", capturedCookies);
        using var replayed = await replayer.Http.SendAsync(replay);
        replayed.Headers.Location.ShouldBeNull();
        (await ErrorTextAsync(replayed)).ShouldStartWith("Этот код уже использован");
    }

    [Fact]
    public async Task A_totp_code_is_accepted_once_and_a_replay_is_refused_logged_and_published()
    {
        var person = await Fixture.NewPatientAsync();
        Clock.MoveToStartOfTotpStep();
        var code = TotpCode(person);

        var first = NewAttempt();
        using (var answer = await PasswordAsync(first, person))
        {
            using var redirect = await VerifyAsync(first, await SecondFactorFormAsync(answer, "totp"), code);
            var tokens = await RedeemAsync(first, redirect);
            tokens.Access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ShouldBe(["pwd", "otp", "mfa"], ignoreOrder: true);
        }

        var replay = NewAttempt();
        using var second = await PasswordAsync(replay, person);
        using var refused = await VerifyAsync(replay, await SecondFactorFormAsync(second, "totp"), code);
        refused.Headers.Location.ShouldBeNull();
        (await ErrorTextAsync(refused)).ShouldStartWith("Этот код уже использован");
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(1);
        var published = (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.TotpReplayRejected)).ShouldHaveSingleItem();
        published.Outcome.ShouldBe("failure");
        published.Details.Values.ShouldNotContain(code);
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SecondFactorFailed)).ShouldHaveSingleItem().Details["reason"].ShouldBe("totp_replay");

        // The next step's code is new and passes.
        using var next = await VerifyAsync(replay, SignInFormOf(await refused.Content.ReadAsStringAsync()), TotpCode(person, stepsOff: 1));
        next.StatusCode.ShouldBe(HttpStatusCode.Found);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_totp_code_one_step_off_is_accepted(int stepsOff)
    {
        var person = await Fixture.NewPatientAsync();
        Clock.MoveToStartOfTotpStep();
        var tokens = await SignInWithTotpAsync(person, stepsOff: stepsOff);
        tokens.Access.Subject.ShouldBe(person.UserId.ToString());
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public async Task A_totp_code_two_steps_off_is_refused(int stepsOff)
    {
        var person = await Fixture.NewPatientAsync();
        Clock.MoveToStartOfTotpStep();
        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        using var refused = await VerifyAsync(attempt, await SecondFactorFormAsync(answer, "totp"), TotpCode(person, stepsOff));
        refused.Headers.Location.ShouldBeNull();
        (await ErrorTextAsync(refused)).ShouldStartWith("Неверный код");
    }

    [Fact]
    public async Task A_person_with_an_app_can_ask_for_an_sms_code_instead_and_resending_is_throttled()
    {
        var person = await Fixture.NewPatientAsync();
        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        var totpForm = await SecondFactorFormAsync(answer, "totp");

        var sentAfter = Clock.GetUtcNow();
        using var switched = await PostAsync(attempt, totpForm, new() { ["action"] = "use-sms" });
        var smsForm = await SecondFactorFormAsync(switched, "sms");
        var html = await switched.Content.ReadAsStringAsync();
        html.ShouldContain("value=\"use-totp\"");
        html.ShouldContain("Отправить код повторно можно через");
        var code = await CodeSentToAsync(person.Phone!, sentAfter);

        // A second code within a minute is not sent; the page says so and the first code still works.
        using var resent = await PostAsync(attempt, smsForm, new() { ["action"] = "resend" });
        (await resent.Content.ReadAsStringAsync()).ShouldContain("новый можно запросить позже");
        Fixture.Mailbox.To(person.Phone!, sentAfter).Count.ShouldBe(1);

        using var redirect = await VerifyAsync(attempt, SignInFormOf(await resent.Content.ReadAsStringAsync()), code);
        var tokens = await RedeemAsync(attempt, redirect);
        tokens.Access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ShouldContain("sms");
    }

    [Fact]
    public async Task A_sign_in_left_waiting_expires()
    {
        var person = await Fixture.NewPatientAsync();
        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "totp");

        Clock.Advance(TimeSpan.FromMinutes(11));
        using var late = await VerifyAsync(attempt, form, TotpCode(person));
        late.Headers.Location.ShouldBeNull();
        (await ErrorTextAsync(late)).ShouldStartWith("Время на подтверждение входа истекло");
        SignInForm.Parse(await late.Content.ReadAsStringAsync()).Fields.Keys.ShouldContain("password");
    }

    private static SignInForm SignInFormOf(string html) => SignInForm.Parse(html);
}
