using System.Net;
using System.Web;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

/// <summary>What the sign-in tests do again and again: the password step, the second-factor form, codes, tokens.</summary>
[Collection(SignInCollection.Name)]
public abstract class SignInTest
{
    protected SignInTest(SignInFixture fixture)
    {
        Fixture = fixture;
        // Each test starts on real time; the tests of a collection run one after another.
        fixture.Clock.Offset = TimeSpan.Zero;
    }

    protected SignInFixture Fixture { get; }
    protected TestClock Clock => Fixture.Clock;

    /// <summary>One sign-in attempt of a browser: its authorization request and PKCE verifier.</summary>
    protected sealed record Attempt(Browser Browser, Dictionary<string, string?> Parameters, string Verifier);

    protected Attempt NewAttempt(Browser? browser = null, string? prompt = null)
    {
        browser ??= Fixture.NewBrowser();
        var verifier = OAuthDriver.NewVerifier();
        var parameters = browser.Driver.AuthorizeParameters(verifier);
        if (prompt is not null) parameters["prompt"] = prompt;
        return new Attempt(browser, parameters, verifier);
    }

    /// <summary>GET the sign-in page and post the password: the answer (the second-factor page when the password was right).</summary>
    protected static Task<HttpResponseMessage> PasswordAsync(Attempt attempt, IDemoPerson person, string? password = null) =>
        attempt.Browser.Driver.LoginAsync(attempt.Parameters, person.Username, password ?? person.Password);

    protected static async Task<SignInForm> SecondFactorFormAsync(HttpResponseMessage answer, string expectedFactor)
    {
        var html = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var form = SignInForm.Parse(html);
        form.IsSecondFactor.ShouldBeTrue(html);
        form.Factor.ShouldBe(expectedFactor);
        return form;
    }

    /// <summary>Posts the second-factor form with <paramref name="values"/> (action, code, remember_device, ...).</summary>
    protected static Task<HttpResponseMessage> PostAsync(Attempt attempt, SignInForm form, Dictionary<string, string> values)
    {
        var fields = new Dictionary<string, string>(form.Fields);
        foreach (var (name, value) in values) fields[name] = value;
        return attempt.Browser.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
    }

    protected static Task<HttpResponseMessage> VerifyAsync(Attempt attempt, SignInForm form, string code, bool rememberDevice = false)
    {
        var values = new Dictionary<string, string> { ["action"] = "verify", ["code"] = code };
        if (rememberDevice) values["remember_device"] = "true";
        return PostAsync(attempt, form, values);
    }

    /// <summary>The newest code sent to <paramref name="destination"/> since <paramref name="after"/> (the fixture's clock).</summary>
    protected Task<string> CodeSentToAsync(string destination, DateTimeOffset after) =>
        Fixture.Mailbox.WaitForCodeAsync(destination, after, TimeSpan.FromSeconds(10));

    /// <summary>The authenticator app's code <paramref name="stepsOff"/> steps from the fixture's current time.</summary>
    protected string TotpCode(IDemoPerson person, int stepsOff = 0) =>
        Authenticator.CodeOfStep(person.TotpSecret!, Authenticator.StepAt(Clock.GetUtcNow()) + stepsOff);

    /// <summary>The redirect back to the client with a code, redeemed for tokens.</summary>
    protected static async Task<TokenSet> RedeemAsync(Attempt attempt, HttpResponseMessage redirect)
    {
        redirect.StatusCode.ShouldBe(HttpStatusCode.Found, await redirect.Content.ReadAsStringAsync());
        var code = attempt.Browser.Driver.CallbackQuery(redirect)["code"].ShouldNotBeNull();
        using var response = await attempt.Browser.Driver.RedeemCodeAsync(code, attempt.Verifier);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TokenSet.ReadAsync(response);
    }

    /// <summary>Password and the authenticator app: a complete sign-in.</summary>
    protected async Task<TokenSet> SignInWithTotpAsync(IDemoPerson person, Attempt? attempt = null, bool rememberDevice = false, int stepsOff = 0)
    {
        attempt ??= NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "totp");
        using var redirect = await VerifyAsync(attempt, form, TotpCode(person, stepsOff), rememberDevice);
        return await RedeemAsync(attempt, redirect);
    }

    protected static async Task<string> ErrorTextAsync(HttpResponseMessage answer)
    {
        var html = await answer.Content.ReadAsStringAsync();
        var start = html.IndexOf("role=\"alert\">", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "the page shows no error");
        start += "role=\"alert\">".Length;
        return HttpUtility.HtmlDecode(html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)]);
    }

    protected Task<HealthUser> UserAsync(Guid id) => Fixture.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));

    /// <summary>"14:35" for an instant, as the pages show it (Moscow time).</summary>
    protected static string MoscowClock(DateTimeOffset instant) => instant.ToOffset(TimeSpan.FromHours(3)).ToString("HH:mm");
}
