using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Gosuslugi.Health.TestInfrastructure.WebAuthn;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

public sealed partial class PasskeySignInTests(SignInFixture fixture) : SignInTest(fixture)
{
    private const string Origin = "http://localhost";

    [Fact]
    public async Task A_person_with_a_passkey_can_sign_in_with_it_on_a_page_whose_only_script_is_its_own()
    {
        var person = await Fixture.NewPatientAsync();
        using var authenticator = new SoftwareAuthenticator();
        Clock.MoveToStartOfTotpStep();
        await RegisterPasskeyAsync((await SignInWithTotpAsync(person)).AccessToken, authenticator);

        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "totp");
        (await answer.Content.ReadAsStringAsync()).ShouldContain("value=\"use-passkey\"");

        using var passkeyPage = await PostAsync(attempt, form, new() { ["action"] = "use-passkey" });
        var passkeyForm = await SecondFactorFormAsync(passkeyPage, "passkey");
        var html = await passkeyPage.Content.ReadAsStringAsync();
        var csp = passkeyPage.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = ScriptNonce().Match(csp).Groups[1].Value;
        nonce.ShouldNotBeNullOrEmpty();
        csp.ShouldNotContain("unsafe-inline'; script"); // scripts only by the nonce
        html.ShouldContain($"<script nonce=\"{nonce}\">");
        var options = PasskeyOptions().Match(html).Groups[1].Value;
        options.ShouldNotBeNullOrEmpty();

        var assertion = authenticator.CreateAssertion(options, Origin);
        using var redirect = await PostAsync(attempt, passkeyForm, new() { ["credential"] = assertion });
        var tokens = await RedeemAsync(attempt, redirect);
        tokens.Access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ShouldBe(["pwd", "hwk", "mfa"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_passkey_answer_made_for_another_site_counts_as_a_failure()
    {
        var person = await Fixture.NewPatientAsync();
        using var authenticator = new SoftwareAuthenticator();
        Clock.MoveToStartOfTotpStep();
        await RegisterPasskeyAsync((await SignInWithTotpAsync(person)).AccessToken, authenticator);

        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        using var passkeyPage = await PostAsync(attempt, await SecondFactorFormAsync(answer, "totp"), new() { ["action"] = "use-passkey" });
        var passkeyForm = await SecondFactorFormAsync(passkeyPage, "passkey");
        var options = PasskeyOptions().Match(await passkeyPage.Content.ReadAsStringAsync()).Groups[1].Value;

        using var refused = await PostAsync(attempt, passkeyForm, new() { ["credential"] = authenticator.CreateAssertion(options, "http://gosuslugi-health.example") });
        refused.Headers.Location.ShouldBeNull();
        (await ErrorTextAsync(refused)).ShouldStartWith("Ключ доступа не подошёл");
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(1);
    }

    private async Task RegisterPasskeyAsync(string accessToken, SoftwareAuthenticator authenticator)
    {
        using var http = Fixture.NewBrowser().Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var options = await http.PostAsync("/api/v1/account/passkeys/options", null);
        options.StatusCode.ShouldBe(HttpStatusCode.OK, await options.Content.ReadAsStringAsync());
        var credential = authenticator.CreateAttestation(await options.Content.ReadAsStringAsync(), Origin);
        using var registered = await http.PostAsJsonAsync("/api/v1/account/passkeys",
            new JsonObject { ["name"] = "Телефон", ["credential"] = JsonNode.Parse(credential) });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex ScriptNonce();

    [GeneratedRegex("""<script type="application/json" id="passkey-options">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex PasskeyOptions();
}
