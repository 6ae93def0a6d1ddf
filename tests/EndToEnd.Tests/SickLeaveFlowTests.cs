using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// Sick leave through the gateway with real tokens: the demo patient has the certificate the development seeder gave
/// them (as <c>./run.sh</c> shows it), can open it and download its PDF, and was notified; the other patient sees none.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SickLeaveFlowTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_demo_patient_sees_their_certificate_downloads_it_and_was_notified_and_nobody_else_sees_it()
    {
        var accounts = system.Accounts;
        using var patient = system.GatewayClient(await system.SignInAsync(accounts.Patient));
        using var otherPatient = system.GatewayClient(await system.SignInAsync(accounts.OtherPatient));

        var certificate = await EventuallyAsync(async () =>
        {
            var list = await patient.GetFromJsonAsync<JsonElement>("api/v1/sick-leave/certificates");
            return list.GetProperty("items").EnumerateArray().Select(i => (JsonElement?)i).FirstOrDefault();
        });
        var id = certificate.GetProperty("id").GetGuid();
        certificate.GetProperty("number").GetString().ShouldBe("9" + accounts.Patient.Snils);
        certificate.GetProperty("status").GetString().ShouldBe("closed");

        var card = await patient.GetFromJsonAsync<JsonElement>($"api/v1/sick-leave/certificates/{id}");
        card.GetProperty("periods").GetArrayLength().ShouldBe(2);
        using var pdf = await patient.GetAsync($"api/v1/sick-leave/certificates/{id}/pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");

        await EventuallyAsync(async () =>
        {
            var feed = await patient.GetFromJsonAsync<JsonElement>("api/v1/notifications");
            return feed.GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("category").GetString() == "sick_leave")
                .Select(n => (JsonElement?)n).FirstOrDefault();
        });

        (await otherPatient.GetAsync($"api/v1/sick-leave/certificates/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherPatient.GetFromJsonAsync<JsonElement>("api/v1/sick-leave/certificates")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            var value = await probe();
            if (value is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected state did not appear in time.");
            await Task.Delay(250);
        }
    }
}
