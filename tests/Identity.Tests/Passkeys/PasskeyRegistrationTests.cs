using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.TestInfrastructure.WebAuthn;

namespace Gosuslugi.Health.Identity.Tests.Passkeys;

public sealed class PasskeyRegistrationTests(IdentityServiceFixture fixture) : PasskeyTest(fixture)
{
    [Fact]
    public async Task A_person_registers_a_passkey_and_sees_it_in_the_list()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();

        var optionsJson = await CreationOptionsAsync(http);
        using (var options = JsonDocument.Parse(optionsJson))
        {
            var root = options.RootElement;
            // The relying party is the public issuer, whatever host the request reached identity by.
            root.GetProperty("rp").GetProperty("id").GetString().ShouldBe("localhost");
            Base64Url.DecodeFromChars(root.GetProperty("user").GetProperty("id").GetString()).ShouldBe(System.Text.Encoding.UTF8.GetBytes(person.ToString()));
            Base64Url.DecodeFromChars(root.GetProperty("challenge").GetString()).Length.ShouldBe(32);
            root.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString().ShouldBe("required");
            root.GetProperty("pubKeyCredParams").EnumerateArray().Select(p => p.GetProperty("alg").GetInt32()).ShouldContain(-7);
        }

        var credential = authenticator.CreateAttestation(optionsJson, Origin);
        using var created = await PostCredentialAsync(http, credential, "Мой телефон");
        var body = await created.Content.ReadAsStringAsync();
        created.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        created.Headers.Location!.OriginalString.ShouldBe($"{Passkeys}/{authenticator.CredentialIdBase64Url}");
        using (var json = JsonDocument.Parse(body))
        {
            json.RootElement.GetProperty("id").GetString().ShouldBe(authenticator.CredentialIdBase64Url);
            json.RootElement.GetProperty("name").GetString().ShouldBe("Мой телефон");
        }

        var passkey = (await ListAsync(http)).ShouldHaveSingleItem();
        passkey.GetProperty("id").GetString().ShouldBe(authenticator.CredentialIdBase64Url);
        passkey.GetProperty("name").GetString().ShouldBe("Мой телефон");
        passkey.GetProperty("createdAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        passkey.GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var events = await SecurityEventsAsync(person);
        events.ShouldContain(e => e.Contains(Contracts.Identity.SecurityEventKinds.SecondFactorChanged) && e.Contains("\"added\"") && e.Contains("passkey"));
    }

    [Fact]
    public async Task The_same_authenticator_cannot_be_registered_twice_and_an_answer_counts_once()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();

        var credential = authenticator.CreateAttestation(await CreationOptionsAsync(http), Origin);
        using (var first = await PostCredentialAsync(http, credential)) first.StatusCode.ShouldBe(HttpStatusCode.Created);

        using (var replayed = await PostCredentialAsync(http, credential))
        {
            var errors = await ValidationErrorsAsync(replayed);
            errors.GetProperty("credential")[0].GetString().ShouldBe(PasskeysApi.NoCeremonyMessage);
        }

        // New options list the registered passkey as excluded, so a browser would not even ask the authenticator.
        var options = await CreationOptionsAsync(http);
        Should.Throw<InvalidOperationException>(() => authenticator.CreateAttestation(options, Origin));
        (await ListAsync(http)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_registration_from_another_origin_or_without_user_verification_is_refused_and_stores_nothing()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);

        using var phishing = new SoftwareAuthenticator();
        using (var response = await PostCredentialAsync(http, phishing.CreateAttestation(await CreationOptionsAsync(http), "http://gosuslugi-health.example")))
        {
            var errors = await ValidationErrorsAsync(response);
            errors.GetProperty("credential")[0].GetString().ShouldBe(PasskeysApi.RefusedMessage);
        }

        using var withoutPin = new SoftwareAuthenticator { VerifiesUser = false };
        using (var response = await PostCredentialAsync(http, withoutPin.CreateAttestation(await CreationOptionsAsync(http), Origin)))
        {
            var errors = await ValidationErrorsAsync(response);
            errors.GetProperty("credential")[0].GetString().ShouldBe(PasskeysApi.RefusedMessage);
        }

        (await ListAsync(http)).ShouldBeEmpty();
        (await SecurityEventsAsync(person)).ShouldNotContain(e => e.Contains(Contracts.Identity.SecurityEventKinds.SecondFactorChanged));
    }

    [Fact]
    public async Task An_answer_to_someone_elses_options_is_refused()
    {
        var person = await NewPersonAsync();
        var other = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var otherHttp = await ClientAsync(other);
        using var authenticator = new SoftwareAuthenticator();

        // The other person's challenge answered on this person's account: no ceremony of theirs waits for it.
        var credential = authenticator.CreateAttestation(await CreationOptionsAsync(otherHttp), Origin);
        using var response = await PostCredentialAsync(http, credential);
        var errors = await ValidationErrorsAsync(response);
        errors.GetProperty("credential")[0].GetString().ShouldBe(PasskeysApi.NoCeremonyMessage);
        (await ListAsync(http)).ShouldBeEmpty();
        (await ListAsync(otherHttp)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_input_is_a_validation_problem_in_russian_and_changes_nothing()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        var credential = authenticator.CreateAttestation(await CreationOptionsAsync(http), Origin);

        using (var tooLong = await PostCredentialAsync(http, credential, new string('я', PasskeysApi.MaxNameLength + 1)))
            (await ValidationErrorsAsync(tooLong)).GetProperty("name")[0].GetString()!.ShouldContain("символов");

        using (var noCredential = await PostCredentialAsync(http, "\"not an object\""))
            (await ValidationErrorsAsync(noCredential)).GetProperty("credential")[0].GetString()!.ShouldContain("navigator.credentials.create()");

        using (var garbage = await PostCredentialAsync(http, """{"id":"AAAA","type":"public-key","response":{"clientDataJSON":"%%%"}}"""))
            (await ValidationErrorsAsync(garbage)).GetProperty("credential")[0].GetString().ShouldBe(PasskeysApi.NoCeremonyMessage);

        (await ListAsync(http)).ShouldBeEmpty();

        // The ceremony was not used up by the refused requests: the valid answer still registers.
        using var created = await PostCredentialAsync(http, credential);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_passkey_without_a_name_gets_the_default_one()
    {
        var person = await NewPersonAsync();
        using var http = await ClientAsync(person);
        using var authenticator = new SoftwareAuthenticator();
        using var created = await PostCredentialAsync(http, authenticator.CreateAttestation(await CreationOptionsAsync(http), Origin), name: null);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ListAsync(http)).ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe(PasskeysApi.DefaultName);
    }
}
