using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Identity.Seeding;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// Acting for a child through the gateway: a guardian links the child, a clinic records the child's vaccination by
/// SNILS, the guardian exchanges their token (RFC 8693) and reads the child's vaccinations in Immunizations; once the
/// guardian revokes the delegation the exchanged token fails at once.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DelegatedAccessTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_guardian_reads_the_childs_vaccinations_with_a_delegated_token_until_revoking_it()
    {
        var guardian = await ConfirmedPatientAsync();
        var guardianToken = await system.SignInAsync(guardian);
        using var asGuardian = system.GatewayClient(guardianToken);

        var snils = Snils.Generate();
        var birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-6);
        using var linked = await asGuardian.PostAsJsonAsync("api/v1/account/children", new
        {
            familyName = "Морозова",
            givenName = "Варвара",
            birthDate,
            snils,
            birthCertificate = new { series = "II-МЮ", number = "402118", issuedOn = birthDate.AddDays(9) },
        });
        linked.StatusCode.ShouldBe(HttpStatusCode.Created, await linked.Content.ReadAsStringAsync());
        var link = await linked.Content.ReadFromJsonAsync<JsonElement>();
        var childId = link.GetProperty("child").GetProperty("id").GetGuid();
        var delegationId = link.GetProperty("delegation").GetProperty("id").GetGuid();

        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        var recorded = await RecordForChildAsync(organization, snils, birthDate);
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var vaccinationId = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var delegatedToken = await ExchangeAsync(delegationId, guardianToken);
        using var asChild = system.GatewayClient(delegatedToken);
        var list = await asChild.GetFromJsonAsync<JsonElement>("api/v1/immunizations");
        var item = list.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("id").GetGuid().ShouldBe(vaccinationId);
        item.GetProperty("patientId").GetGuid().ShouldBe(childId);
        (await asChild.GetAsync($"api/v1/immunizations/{vaccinationId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Without the delegation the child's record is out of reach: the guardian's own token reads only their own.
        var own = await asGuardian.GetAsync("api/v1/immunizations");
        if (own.StatusCode == HttpStatusCode.OK)
        {
            (await own.Content.ReadAsStringAsync()).ShouldNotContain(vaccinationId.ToString());
        }
        (await asGuardian.GetAsync($"api/v1/immunizations/{vaccinationId}")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);

        using (var revoked = await asGuardian.DeleteAsync($"api/v1/account/delegations/{delegationId}"))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent, await revoked.Content.ReadAsStringAsync());
        }

        using var after = await asChild.GetAsync("api/v1/immunizations");
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await after.Content.ReadAsStringAsync()).ShouldNotContain(vaccinationId.ToString());
        (await asChild.GetAsync($"api/v1/immunizations/{vaccinationId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var again = await PostExchangeAsync(delegationId, guardianToken);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Another_person_cannot_act_under_someone_elses_delegation()
    {
        var guardian = await ConfirmedPatientAsync();
        var stranger = await ConfirmedPatientAsync();
        using var asGuardian = system.GatewayClient(await system.SignInAsync(guardian));
        var birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-2);
        using var linked = await asGuardian.PostAsJsonAsync("api/v1/account/children", new
        {
            familyName = "Лебедев",
            givenName = "Матвей",
            birthDate,
            snils = Snils.Generate(),
            birthCertificate = new { series = "I-АГ", number = "118205", issuedOn = birthDate.AddDays(5) },
        });
        linked.StatusCode.ShouldBe(HttpStatusCode.Created, await linked.Content.ReadAsStringAsync());
        var delegationId = (await linked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delegation").GetProperty("id").GetGuid();

        using var response = await PostExchangeAsync(delegationId, await system.SignInAsync(stranger));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    /// <summary>A new patient whose identity an operator has verified (confirmed account, consent given, authenticator app).</summary>
    private Task<DemoUser> ConfirmedPatientAsync() => system.FreshConfirmedPatientAsync();

    private async Task<string> ExchangeAsync(Guid delegationId, string actorToken)
    {
        using var response = await PostExchangeAsync(delegationId, actorToken);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> PostExchangeAsync(Guid delegationId, string actorToken)
    {
        using var http = new HttpClient { BaseAddress = system.GatewayUrl };
        return await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["client_id"] = system.Accounts.PublicClient.ClientId,
            ["subject_token"] = delegationId.ToString(),
            ["subject_token_type"] = "urn:gosuslugi:health:token-type:delegation",
            ["actor_token"] = actorToken,
            ["actor_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["scope"] = "health.delegated.records",
        }));
    }

    /// <summary>Right after linking, Immunizations may not have the child's PatientRegistered yet: a 422 on snils we wait out.</summary>
    private static async Task<HttpResponseMessage> RecordForChildAsync(HttpClient organization, string snils, DateOnly birthDate)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            var response = await organization.PostAsJsonAsync("api/v1/immunizations", new
            {
                snils,
                externalId = "e2e-child-" + Guid.NewGuid().ToString("N"),
                vaccine = new { code = "J07BD52", name = "Приорикс" },
                disease = "Корь, краснуха, паротит",
                doseNumber = 2,
                administeredOn = birthDate.AddYears(6).AddDays(-30),
            });
            if (response.StatusCode != HttpStatusCode.UnprocessableEntity || DateTime.UtcNow > deadline) return response;
            await Task.Delay(200);
        }
    }
}
