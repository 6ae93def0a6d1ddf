using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// The first flow of the platform, only over HTTP through the gateway with tokens from the real identity
/// service: a medical organization records a vaccination by SNILS, Notifications tells the patient, the
/// patient sees both; nobody else sees anything.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class VaccinationFlowTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Organization_records_a_vaccination_and_only_its_patient_sees_it_and_is_notified()
    {
        var accounts = system.Accounts;
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        using var patient = system.GatewayClient(await system.SignInAsync(accounts.Patient));
        using var otherPatient = system.GatewayClient(await system.SignInAsync(accounts.OtherPatient));

        var recorded = await RecordAsync(organization, Vaccination(accounts.Patient.Snils, "e2e-flu-2026"));
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created);
        var immunization = await recorded.Content.ReadFromJsonAsync<JsonElement>();
        var id = immunization.GetProperty("id").GetGuid();
        immunization.GetProperty("organization").GetProperty("name").GetString().ShouldBe(accounts.MedicalOrganization.OrganizationName);

        var mine = await patient.GetFromJsonAsync<JsonElement>("api/v1/immunizations");
        var item = mine.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        item.GetProperty("vaccine").GetProperty("name").GetString().ShouldBe("Ультрикс Квадри");
        (await patient.GetAsync($"api/v1/immunizations/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var notification = await EventuallyAsync<JsonElement>(async () =>
        {
            var feed = await patient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
            return feed.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("body").GetString()!.Contains("Ультрикс Квадри"))
                .Select(n => (JsonElement?)n).FirstOrDefault();
        });
        notification.GetProperty("title").GetString()!.ShouldContain("вакцинац");
        notification.GetProperty("body").GetString()!.ShouldContain(accounts.MedicalOrganization.OrganizationName);

        // The other patient sees nothing of it, neither the vaccination nor the notification.
        (await otherPatient.GetAsync($"api/v1/immunizations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var theirs = await otherPatient.GetFromJsonAsync<JsonElement>("api/v1/immunizations");
        theirs.GetProperty("items").GetArrayLength().ShouldBe(0);
        var theirFeed = await otherPatient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
        // Their own sign-in from a new device is told to them; nothing about the vaccination is.
        theirFeed.GetProperty("items").EnumerateArray().ShouldAllBe(n => n.GetProperty("category").GetString() == "security");
        theirFeed.GetRawText().ShouldNotContain("Ультрикс");
        var notificationId = notification.GetProperty("id").GetGuid();
        var markForeign = await otherPatient.PostAsync($"api/v1/notifications/{notificationId}/read", null);
        markForeign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await markForeign.Content.ReadAsStringAsync()).ShouldNotContain("Ультрикс");
    }

    [Fact]
    public async Task A_patient_token_cannot_record_a_vaccination()
    {
        using var patient = system.GatewayClient(await system.SignInAsync(system.Accounts.Patient));
        var response = await RecordAsync(patient, Vaccination(system.Accounts.Patient.Snils, "e2e-by-patient"), waitForPatient: false);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CountStoredAsync("e2e-by-patient")).ShouldBe(0);
    }

    [Fact]
    public async Task Without_a_token_the_gateway_answers_401()
    {
        using var anonymous = new HttpClient { BaseAddress = system.GatewayUrl };
        (await anonymous.GetAsync("api/v1/immunizations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("api/v1/immunizations", Vaccination(system.Accounts.Patient.Snils, "e2e-anonymous")))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await CountStoredAsync("e2e-anonymous")).ShouldBe(0);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"snils":"00000000000","externalId":"e2e-bad-unknown","vaccine":{"code":"J07BB02","name":"Ультрикс Квадри"},"disease":"Грипп","administeredOn":"2026-10-01"}""", "snils" },
        { """{"snils":"{SNILS}","externalId":"e2e-bad-future","vaccine":{"code":"J07BB02","name":"Ультрикс Квадри"},"disease":"Грипп","administeredOn":"2099-01-01"}""", "administeredOn" },
        { """{"snils":"{SNILS}","externalId":"e2e-bad-novaccine","disease":"Грипп","administeredOn":"2026-10-01"}""", "vaccine" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_problem_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        await RecordAsync(organization, Vaccination(system.Accounts.Patient.Snils, "e2e-warm-up")); // the SNILS is known by now
        var json = body.Replace("{SNILS}", system.Accounts.Patient.Snils, StringComparison.Ordinal);
        var externalId = JsonDocument.Parse(json).RootElement.GetProperty("externalId").GetString()!;

        var response = await organization.PostAsync("api/v1/immunizations", new StringContent(json, MediaTypeHeaderValue.Parse("application/json")));

        ((int)response.StatusCode).ShouldBeInRange(400, 499);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject()
            .ShouldContain(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase));
        (await CountStoredAsync(externalId)).ShouldBe(0);
    }

    private static object Vaccination(string snils, string externalId) => new
    {
        snils,
        externalId,
        vaccine = new { code = "J07BB02", name = "Ультрикс Квадри" },
        disease = "Грипп",
        doseNumber = 1,
        lotNumber = "FL-2026-117",
        administeredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3),
    };

    /// <summary>
    /// Posts a vaccination. Right after the system starts, Immunizations may not yet have received the
    /// patient's <c>PatientRegistered</c> event from identity: that is a 422 on <c>snils</c> which we wait out.
    /// </summary>
    private static async Task<HttpResponseMessage> RecordAsync(HttpClient client, object body, bool waitForPatient = true)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            var response = await client.PostAsJsonAsync("api/v1/immunizations", body);
            if (!waitForPatient || response.StatusCode != HttpStatusCode.UnprocessableEntity || DateTime.UtcNow > deadline)
                return response;
            await Task.Delay(200);
        }
    }

    /// <summary>Rows in Immunizations' own database (through the connection string the AppHost gives the service).</summary>
    private async Task<long> CountStoredAsync(string externalId)
    {
        await using var connection = await system.OpenDatabaseAsync("immunizationsdb");
        // The column is named by the service's naming convention (ExternalId or external_id): found, not assumed.
        await using var column = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_name = 'immunizations' AND lower(replace(column_name, '_', '')) = 'externalid'
            """, connection);
        var name = (string)(await column.ExecuteScalarAsync())!;
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM immunizations WHERE \"{name}\" = @id", connection);
        count.Parameters.AddWithValue("id", externalId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            var value = await probe();
            if (value is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected state did not appear in time.");
            await Task.Delay(200);
        }
    }
}
