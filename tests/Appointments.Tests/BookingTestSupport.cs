using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>Booking steps the booking, idempotency, race and organization tests share.</summary>
internal static class BookingTestSupport
{
    public const string Route = "/api/v1/appointments";
    public const string OrgRoute = "/api/v1/appointments/org/appointments";

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Expected a JSON object, got: {text}");
    }

    public static Task<HttpResponseMessage> BookAsync(this HttpClient client, Guid slotId, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(new { slotId }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Books <paramref name="slotId"/> as the patient and returns the appointment's JSON.</summary>
    public static async Task<JsonObject> BookOkAsync(this AppointmentsApp app, Guid patientId, Guid slotId)
    {
        using var client = app.PatientClient(patientId);
        using var response = await client.BookAsync(slotId);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    public static async Task<string> ReasonOf(HttpResponseMessage response) =>
        (await response.ReadJsonAsync())["reason"]!.GetValue<string>();

    public static HttpClient RepresentativeClient(this AppointmentsApp app, Guid patientId, Guid representativeId,
        string scope = HealthClaims.Scopes.DelegatedAppointments) =>
        app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, representativeId, Guid.CreateVersion7(), scope));

    /// <summary>The access events about <paramref name="patientId"/> in the outbox.</summary>
    public static async Task<List<JsonElementView>> AccessEventsAsync(this AppointmentsApp app, Guid patientId) =>
        (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId))
        .Select(e => new JsonElementView(e.GetProperty("section").GetString()!, e.GetProperty("action").GetString()!,
            e.GetProperty("outcome").GetString()!,
            e.TryGetProperty("itemId", out var item) && item.ValueKind == System.Text.Json.JsonValueKind.String ? item.GetGuid() : null))
        .ToList();

    public sealed record JsonElementView(string Section, string Action, string Outcome, Guid? ItemId);
}
