using System.Net;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.TestInfrastructure.WebAuthn;

namespace Gosuslugi.Health.Identity.Tests.Passkeys;

public sealed class PasskeyManagementTests(IdentityServiceFixture fixture) : PasskeyTest(fixture)
{
    [Fact]
    public async Task A_person_removes_their_passkey_and_it_no_longer_signs_in()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        var id = await RegisterAsync(http, authenticator);

        using var removed = await http.DeleteAsync($"{Passkeys}/{id}");
        removed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await removed.Content.ReadAsStringAsync());

        (await ListAsync(http)).ShouldBeEmpty();
        (await WithFactorAsync(person, (factor, user, _) => factor.IsAvailableAsync(user))).ShouldBeFalse();
        (await SecurityEventsAsync(person)).ShouldContain(e => e.Contains(SecurityEventKinds.SecondFactorChanged) && e.Contains("\"removed\""));

        using var again = await http.DeleteAsync($"{Passkeys}/{id}");
        await ShouldBeProblemAsync(again, HttpStatusCode.NotFound, PasskeysApi.NotFoundDetail);
    }

    [Fact]
    public async Task Another_person_cannot_see_or_remove_my_passkey()
    {
        var owner = await NewPersonAsync();
        var stranger = await NewPersonAsync();
        using var ownerHttp = await ClientAsync(owner);
        using var strangerHttp = await ClientAsync(stranger);
        using var authenticator = new SoftwareAuthenticator();
        var id = await RegisterAsync(ownerHttp, authenticator);

        (await ListAsync(strangerHttp)).ShouldBeEmpty();
        using var response = await strangerHttp.DeleteAsync($"{Passkeys}/{id}");
        // The same answer as for an id that does not exist: nothing tells the stranger it is someone's.
        await ShouldBeProblemAsync(response, HttpStatusCode.NotFound, PasskeysApi.NotFoundDetail);

        (await ListAsync(ownerHttp)).ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(id);
        (await SecurityEventsAsync(owner)).Count(e => e.Contains(SecurityEventKinds.SecondFactorChanged)).ShouldBe(1);
    }

    [Fact]
    public async Task Removing_or_adding_a_passkey_without_a_fresh_second_factor_is_forbidden()
    {
        var person = await NewPersonAsync();
        using var fresh = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        var id = await RegisterAsync(fresh, authenticator);

        using var passwordOnly = await ClientAsync(person, SignedInPerson.PasswordOnly);
        using var longAgo = await ClientAsync(person, SignedInPerson.WithSecondFactor, authTime: DateTimeOffset.UtcNow.AddMinutes(-11));
        foreach (var stale in new[] { passwordOnly, longAgo })
        {
            using (var removed = await stale.DeleteAsync($"{Passkeys}/{id}"))
                await ShouldBeProblemAsync(removed, HttpStatusCode.Forbidden, Identity.Accounts.FreshSignIn.Detail);
            using (var options = await stale.PostAsync($"{Passkeys}/options", null))
                await ShouldBeProblemAsync(options, HttpStatusCode.Forbidden, Identity.Accounts.FreshSignIn.Detail);

            // Listing needs no fresh sign-in.
            (await ListAsync(stale)).ShouldHaveSingleItem();
        }

        // An answer to options obtained while fresh is still refused once the sign-in is no longer fresh.
        using var second = new SoftwareAuthenticator();
        var credential = second.CreateAttestation(await CreationOptionsAsync(fresh), Origin);
        using (var late = await PostCredentialAsync(longAgo, credential))
            await ShouldBeProblemAsync(late, HttpStatusCode.Forbidden, Identity.Accounts.FreshSignIn.Detail);

        (await ListAsync(fresh)).ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task A_representative_acting_for_someone_cannot_manage_their_passkeys()
    {
        var principal = await NewPersonAsync();
        var representative = await NewPersonAsync();
        using var own = await ClientAsync(principal);
        using var authenticator = new SoftwareAuthenticator();
        var id = await RegisterAsync(own, authenticator);

        using var acting = WithToken(await SignedInPerson.AccessTokenAsync(Fixture, principal, SignedInPerson.WithSecondFactor, extraClaims: new Dictionary<string, object>
        {
            ["act"] = new Dictionary<string, object> { ["sub"] = representative.ToString() },
            ["del"] = Guid.CreateVersion7().ToString(),
        }));
        using (var list = await acting.GetAsync(Passkeys))
            await ShouldBeProblemAsync(list, HttpStatusCode.Forbidden, Identity.Accounts.AccountProblems.OwnAccountOnlyDetail);
        using (var removed = await acting.DeleteAsync($"{Passkeys}/{id}"))
            await ShouldBeProblemAsync(removed, HttpStatusCode.Forbidden, Identity.Accounts.AccountProblems.OwnAccountOnlyDetail);

        (await ListAsync(own)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_token_from_the_browser_sign_in_reaches_the_api()
    {
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(Demo.Patient.Username, Demo.Patient.Password);
        using var http = WithToken(tokens.AccessToken);
        (await ListAsync(http)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401()
    {
        using var http = Fixture.CreateClient();
        using var list = await http.GetAsync(Passkeys);
        list.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var options = await http.PostAsync($"{Passkeys}/options", null);
        options.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
