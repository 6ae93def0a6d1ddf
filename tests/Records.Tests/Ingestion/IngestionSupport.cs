using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

/// <summary>Posting FHIR resources and observing what Records stored for a patient (rows and outbox events).</summary>
public static class IngestionSupport
{
    public const string FhirRoute = "/api/v1/records/fhir/";
    public const string FhirBase = "/fhir/R4";

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public sealed record StoredCounts(int Items, int CurrentItems, int Observations, int Documents, int OutboxEvents);

    public static Task<HttpResponseMessage> PostFhirAsync(this HttpClient client, string resourceType, string json,
        string mediaType = FhirSamples.MediaType) =>
        client.PostAsync(FhirRoute + resourceType, new StringContent(json, Encoding.UTF8, mediaType));

    public static Task<HttpResponseMessage> PostFhirAsync(this HttpClient client, string resourceType, JsonObject resource) =>
        client.PostFhirAsync(resourceType, resource.ToJsonString());

    public static async Task<JsonObject> JsonObjectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The issues of an OperationOutcome: their texts by issue.expression (the FHIRPath of the element).</summary>
    public static async Task<Dictionary<string, string[]>> FhirErrorsAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var outcome = await response.JsonObjectAsync(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(FhirSamples.MediaType);
        outcome["resourceType"]!.GetValue<string>().ShouldBe("OperationOutcome");
        return outcome["issue"]!.AsArray()
            .Select(issue => (Expression: (string?)issue!["expression"]?[0] ?? "", Text: (string)issue["details"]!["text"]!))
            .GroupBy(issue => issue.Expression)
            .ToDictionary(group => group.Key, group => group.Select(issue => issue.Text).ToArray());
    }

    /// <summary>POST /fhir/R4/{resourceType}.</summary>
    public static Task<HttpResponseMessage> PostFhirR4Async(this HttpClient client, JsonObject resource) =>
        client.PostAsync($"{FhirBase}/{resource["resourceType"]}", new StringContent(resource.ToJsonString(), Encoding.UTF8, FhirSamples.MediaType));

    public static Task<HttpResponseMessage> PostTransactionAsync(this HttpClient client, JsonObject bundle) =>
        client.PostAsync(FhirBase, new StringContent(bundle.ToJsonString(), Encoding.UTF8, FhirSamples.MediaType));

    public static Task<StoredCounts> StoredForAsync(this RecordsApp app, Guid patientId) =>
        app.WithDbAsync(async db => new StoredCounts(
            await db.Items.CountAsync(i => i.PatientId == patientId),
            await db.Items.CountAsync(i => i.PatientId == patientId && i.IsCurrent),
            await db.Observations.CountAsync(o => o.PatientId == patientId),
            await db.Documents.CountAsync(d => d.PatientId == patientId),
            (await OutboxRowsAsync(db, patientId)).Count));

    /// <summary>Events of type <typeparamref name="T"/> about <paramref name="patientId"/> in Records' outbox (published or not).</summary>
    public static Task<List<T>> OutboxOfAsync<T>(this RecordsApp app, Guid patientId) =>
        app.WithDbAsync(async db => (await OutboxRowsAsync(db, patientId))
            .Where(m => m.MessageType == typeof(T).FullName)
            .OrderBy(m => m.CreatedAt)
            .Select(m => JsonSerializer.Deserialize<T>(m.Payload, Web)!)
            .ToList());

    private static Task<List<OutboxMessage>> OutboxRowsAsync(Data.RecordsDb db, Guid patientId) =>
        db.Set<OutboxMessage>()
            .FromSqlInterpolated($"SELECT * FROM outbox_messages WHERE payload->>'patientId' = {patientId.ToString()}")
            .AsNoTracking()
            .ToListAsync();

    public static DateTimeOffset HoursAgo(double hours) =>
        new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddHours(-hours);

    public static string NewExternalId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
