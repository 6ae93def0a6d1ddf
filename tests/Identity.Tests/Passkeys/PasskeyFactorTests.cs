using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.WebAuthn;

namespace Gosuslugi.Health.Identity.Tests.Passkeys;

/// <summary>
/// The passkey as the second factor of a sign-in, through <see cref="Identity.Passkeys.PasskeyFactor"/> in the running
/// service (one scope per step, as the second-factor page's requests would run it).
/// </summary>
public sealed class PasskeyFactorTests(IdentityServiceFixture fixture) : PasskeyTest(fixture)
{
    [Fact]
    public async Task A_registered_passkey_proves_the_second_factor_and_its_use_is_shown()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        var id = await RegisterAsync(http, authenticator);
        (await WithFactorAsync(person, (factor, user, _) => factor.IsAvailableAsync(user))).ShouldBeTrue();

        var optionsJson = await BeginAssertionAsync(person);
        using (var options = JsonDocument.Parse(optionsJson))
        {
            options.RootElement.GetProperty("rpId").GetString().ShouldBe("localhost");
            options.RootElement.GetProperty("userVerification").GetString().ShouldBe("required");
            options.RootElement.GetProperty("allowCredentials").EnumerateArray()
                .Select(c => c.GetProperty("id").GetString()).ShouldBe([id]);
        }

        (await CompleteAssertionAsync(person, authenticator.CreateAssertion(optionsJson, Origin))).ShouldBeTrue();

        var listed = (await ListAsync(http)).ShouldHaveSingleItem();
        listed.GetProperty("lastUsedAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_answer_is_accepted_once()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator(signCounter: false); // a synced passkey: the counter stays 0
        await RegisterAsync(http, authenticator);

        var assertion = authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin);
        (await CompleteAssertionAsync(person, assertion)).ShouldBeTrue();
        // Without a counter only the single-use challenge stops a captured answer from being played again.
        (await CompleteAssertionAsync(person, assertion)).ShouldBeFalse();
    }

    [Fact]
    public async Task An_answer_from_another_origin_or_with_a_tampered_signature_is_refused()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        await RegisterAsync(http, authenticator);

        var phished = authenticator.CreateAssertion(await BeginAssertionAsync(person), "http://gosuslugi-health.example");
        (await CompleteAssertionAsync(person, phished)).ShouldBeFalse();

        var tampered = SoftwareAuthenticator.TamperSignature(authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin));
        (await CompleteAssertionAsync(person, tampered)).ShouldBeFalse();

        authenticator.VerifiesUser = false;
        var unverified = authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin);
        (await CompleteAssertionAsync(person, unverified)).ShouldBeFalse();
        authenticator.VerifiesUser = true;

        (await CompleteAssertionAsync(person, "{}")).ShouldBeFalse();
        (await CompleteAssertionAsync(person, "not json")).ShouldBeFalse();

        // None of the refusals touched the passkey: the genuine authenticator still signs in.
        (await CompleteAssertionAsync(person, authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin))).ShouldBeTrue();
        (await ListAsync(http)).ShouldHaveSingleItem().GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task A_cloned_authenticator_whose_counter_goes_back_is_refused()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator(signCounter: true);
        await RegisterAsync(http, authenticator);

        (await CompleteAssertionAsync(person, authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin))).ShouldBeTrue();
        (await CompleteAssertionAsync(person, authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin))).ShouldBeTrue();

        authenticator.SignCount = 0; // the clone starts where the original was when it was copied
        (await CompleteAssertionAsync(person, authenticator.CreateAssertion(await BeginAssertionAsync(person), Origin))).ShouldBeFalse();
    }

    [Fact]
    public async Task Another_persons_passkey_does_not_prove_my_second_factor()
    {
        var person = await NewPersonAsync();
        var other = await NewPersonAsync();
        using var otherHttp = await ClientAsync(other);
        using var othersAuthenticator = new SoftwareAuthenticator();
        await RegisterAsync(otherHttp, othersAuthenticator);

        var myOptions = await BeginAssertionAsync(person);
        // A browser would not offer a credential that is not allowed; an attacker's script would: strip the list.
        var options = System.Text.Json.Nodes.JsonNode.Parse(myOptions)!.AsObject();
        options.Remove("allowCredentials");
        var answer = othersAuthenticator.CreateAssertion(options.ToJsonString(), Origin);
        (await CompleteAssertionAsync(person, answer)).ShouldBeFalse();

        (await WithFactorAsync(person, (factor, user, _) => factor.IsAvailableAsync(user))).ShouldBeFalse();
    }
}
