using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// The medical record end to end, only over HTTP through the gateway with tokens from the real identity service: a
/// medical organization publishes a lab result as FHIR by SNILS, the patient reads it in Records, Notifications tells
/// them, Audit shows who created and who read it with an intact chain; another patient reaches nothing of it; a patient
/// asks the organization for missing data and follows the answer.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RecordFlowTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_published_lab_result_reaches_the_patients_history_feed_and_access_log()
    {
        var accounts = system.Accounts;
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        using var patient = system.GatewayClient(await system.SignInAsync(accounts.Patient));

        var externalId = "e2e-cbc-" + Guid.NewGuid().ToString("N")[..8];
        var published = await PublishAsync(organization, FhirSamples.LabReport(accounts.Patient.Snils, externalId, DateTimeOffset.UtcNow.AddDays(-2)));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var itemId = await ItemIdAsync(published);

        // The history, newest first: the new result is there, as a lab result of the organization.
        var history = await patient.GetFromJsonAsync<JsonElement>("api/v1/records/history");
        var listed = history.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == itemId);
        listed.GetProperty("kind").GetString().ShouldBe("lab_result");
        listed.GetProperty("title").GetString().ShouldBe("Общий анализ крови");

        // The item itself with its values, reference ranges and flags.
        using var read = await patient.GetAsync($"api/v1/records/items/{itemId}");
        var itemBody = await read.Content.ReadAsStringAsync();
        read.StatusCode.ShouldBe(HttpStatusCode.OK, itemBody);
        itemBody.ShouldContain("Гемоглобин");
        itemBody.ShouldContain("Лейкоциты");
        itemBody.ShouldContain("11.2");
        itemBody.ShouldContain(accounts.MedicalOrganization.OrganizationName);

        // Notifications heard the event: "Новый результат".
        var notification = await EventuallyFoundAsync(async () =>
        {
            var feed = await patient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
            return feed.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("title").GetString()!.Contains("Новый результат", StringComparison.Ordinal))
                .Select(n => (JsonElement?)n).FirstOrDefault();
        });
        (notification.GetProperty("title").GetString() + " " + notification.GetProperty("body").GetString())
            .ShouldContain("Общий анализ крови");

        // Audit: the organization's creation and the patient's own reads of the item, in an intact chain.
        var entries = await EventuallyAsync(async () =>
        {
            var log = await AccessLogAsync(patient);
            var ofItem = log.Where(e => ItemIdOf(e) == itemId).ToList();
            var created = ofItem.Any(e => Text(e, "action") == "create" && Text(e, "actorRole") == "medical_organization");
            var readByPatient = ofItem.Any(e => Text(e, "action") == "read" && Text(e, "actorRole") == "patient");
            return created && readByPatient ? ofItem : null;
        });
        var creation = entries.First(e => Text(e, "action") == "create");
        Text(creation, "organizationName").ShouldBe(accounts.MedicalOrganization.OrganizationName);
        Text(creation, "outcome").ShouldBe("allowed");
        var log = await AccessLogAsync(patient);
        log.ShouldContain(e => Text(e, "actorRole") == "patient" && Text(e, "action") == "read" && ItemIdOf(e) == null,
            "the history read is logged too");

        var verified = await patient.GetFromJsonAsync<JsonElement>("api/v1/audit/access-log/verify");
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue(verified.ToString());
    }

    [Fact]
    public async Task Another_patient_reaches_nothing_and_a_data_request_is_answered_through_the_gateway()
    {
        var accounts = system.Accounts;
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        using var patient = system.GatewayClient(await system.SignInAsync(accounts.Patient));
        using var otherPatient = system.GatewayClient(await system.SignInAsync(accounts.OtherPatient));

        var externalId = "e2e-other-" + Guid.NewGuid().ToString("N")[..8];
        var published = await PublishAsync(organization, FhirSamples.LabReportNode(accounts.Patient.Snils, externalId, DateTimeOffset.UtcNow.AddDays(-1),
            ("2345-7", "Глюкоза", 7.4m, "ммоль/л", 3.9m, 6.1m)).WithTitle("Биохимический анализ крови").ToJsonString());
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var itemId = await ItemIdAsync(published);

        // Someone else's id is a 404 that tells nothing, on every route that takes it.
        foreach (var path in new[] { $"api/v1/records/items/{itemId}", $"api/v1/records/items/{itemId}/versions/1", $"api/v1/records/items/{itemId}/document" })
        {
            using var foreign = await otherPatient.GetAsync(path);
            foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            var body = await foreign.Content.ReadAsStringAsync();
            body.ShouldNotContain("Глюкоза");
            body.ShouldNotContain("Биохимический");
            body.ShouldNotContain(externalId);
        }
        var theirs = await otherPatient.GetFromJsonAsync<JsonElement>("api/v1/records/history");
        theirs.GetProperty("items").EnumerateArray().ShouldNotContain(i => i.GetProperty("id").GetGuid() == itemId);
        (await otherPatient.GetStringAsync("api/v1/records/analytes")).ShouldNotContain("2345-7");

        // The patient asks the organization for a discharge summary that never arrived.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var submitted = await patient.PostAsJsonAsync("api/v1/disputes/data-requests", new
        {
            organizationId = accounts.MedicalOrganization.OrganizationId,
            organizationName = accounts.MedicalOrganization.OrganizationName,
            dataKind = "discharge",
            periodFrom = today.AddMonths(-3),
            periodTo = today.AddMonths(-2),
            comment = "Нет выписки из стационара за август",
        });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var requestId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The other patient cannot see it; the organization finds it in its queue and answers.
        (await otherPatient.GetAsync($"api/v1/disputes/data-requests/{requestId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var queue = await organization.GetFromJsonAsync<JsonElement>("api/v1/disputes/organization/data-requests");
        queue.GetProperty("items").EnumerateArray().ShouldContain(r => r.GetProperty("id").GetGuid() == requestId);
        const string Answer = "Выписка направлена в вашу медицинскую карту.";
        using var answered = await organization.PostAsJsonAsync($"api/v1/disputes/organization/data-requests/{requestId}/status",
            new { status = "answered", answer = Answer });
        answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());

        var request = await patient.GetFromJsonAsync<JsonElement>($"api/v1/disputes/data-requests/{requestId}");
        request.GetProperty("status").GetString().ShouldBe("answered");
        request.ToString().ShouldContain(Answer);

        // Notifications heard the answer.
        var notification = await EventuallyFoundAsync(async () =>
        {
            var feed = await patient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
            return feed.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("body").GetString()!.Contains(Answer, StringComparison.Ordinal))
                .Select(n => (JsonElement?)n).FirstOrDefault();
        });
        notification.GetProperty("title").GetString()!.ShouldContain("Ответ на запрос");
        notification.GetProperty("body").GetString()!.ShouldContain(accounts.MedicalOrganization.OrganizationName);
        var otherFeed = await otherPatient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
        otherFeed.ToString().ShouldNotContain("Биохимический");
    }

    /// <summary>
    /// Publishes a FHIR resource. Right after the system starts, Records may not yet have received the patient's
    /// <c>PatientRegistered</c> event from identity: a 422 on the subject's SNILS that we wait out.
    /// </summary>
    private static async Task<HttpResponseMessage> PublishAsync(HttpClient organization, string diagnosticReport)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            var response = await organization.PostAsync("api/v1/records/fhir/DiagnosticReport",
                new StringContent(diagnosticReport, Encoding.UTF8, FhirSamples.MediaType));
            if (response.StatusCode != HttpStatusCode.UnprocessableEntity || DateTime.UtcNow > deadline
                || !(await response.Content.ReadAsStringAsync()).Contains("subject.identifier.value", StringComparison.Ordinal))
                return response;
            response.Dispose();
            await Task.Delay(200);
        }
    }

    private static async Task<Guid> ItemIdAsync(HttpResponseMessage published)
    {
        var body = await published.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> AccessLogAsync(HttpClient patient)
    {
        var page = await patient.GetFromJsonAsync<JsonElement>("api/v1/audit/access-log?limit=100");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private static string? Text(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Guid? ItemIdOf(JsonElement entry) =>
        entry.TryGetProperty("itemId", out var value) && value.ValueKind == JsonValueKind.String ? value.GetGuid() : null;

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected state did not appear in time.");
            await Task.Delay(200);
        }
    }

    private static async Task<T> EventuallyFoundAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected state did not appear in time.");
            await Task.Delay(200);
        }
    }
}
