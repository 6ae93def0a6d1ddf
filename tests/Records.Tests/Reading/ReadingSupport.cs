using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Reading;

/// <summary>Items, versions and documents for the reading tests, clients of every kind, and polling of Records' outbox.</summary>
public static class ReadingSupport
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public static Guid NewPatient() => Guid.CreateVersion7();

    /// <summary>A representative's token for <paramref name="patientId"/>: limited (lab results, prescriptions) or the whole record.</summary>
    public static HttpClient RepresentativeClient(this RecordsApp app, Guid patientId, bool limited) =>
        app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7(),
            limited ? TestTokenIssuer.DelegatedLimitedScope : TestTokenIssuer.DelegatedRecordsScope));

    /// <summary>A protocol (Composition) with or without an attached PDF, for document tests.</summary>
    public static TestItem Protocol(Guid patientId, DateTimeOffset at, bool hasDocument, string title = "Протокол осмотра кардиолога",
        string[]? sections = null) =>
        Copy(TestRecords.Item(patientId, RecordItemKinds.Protocol, "Composition", at, null, "doc-2", title,
            RecordDetails.Serialize(new DocumentDetails([new DocumentSection("Жалобы", "Одышка при нагрузке")],
                [new Diagnosis("I10", "Эссенциальная гипертензия", true)], "Тоны сердца ритмичные", "Лизиноприл 10 мг",
                "Контроль давления", "Через 3 месяца", null, null)),
            sections ?? [RecordSections.Visits], ["I10"]), hasDocument: hasDocument);

    /// <summary>A correction of <paramref name="previous"/>: a new version of the same item; the previous one is marked superseded.</summary>
    public static TestItem CorrectionOf(TestItem previous, string title, string reason, string? details = null)
    {
        previous.IsCurrent = false;
        previous.SupersededAt = DateTimeOffset.UtcNow;
        return Copy(previous, id: Guid.CreateVersion7(), version: previous.Version + 1, title: title, details: details,
            correctionReason: reason, correctsItemId: previous.Id, isCurrent: true);
    }

    /// <summary>The same item with a few fields changed (TestItem's fields are init-only).</summary>
    public static TestItem Copy(TestItem i, Guid? id = null, int? version = null, string? title = null, string? details = null,
        string? correctionReason = null, Guid? correctsItemId = null, bool? isCurrent = null, bool? hasDocument = null) => new()
    {
        Id = id ?? i.Id,
        RecordId = i.RecordId,
        Version = version ?? i.Version,
        IsCurrent = isCurrent ?? i.IsCurrent,
        PatientId = i.PatientId,
        OrganizationId = i.OrganizationId,
        OrganizationName = i.OrganizationName,
        ExternalId = i.ExternalId,
        Kind = i.Kind,
        ResourceType = i.ResourceType,
        Status = i.Status,
        Title = title ?? i.Title,
        EffectiveAt = i.EffectiveAt,
        DepartmentName = i.DepartmentName,
        DoctorId = i.DoctorId,
        DoctorName = i.DoctorName,
        Specialty = i.Specialty,
        Sections = i.Sections,
        DiagnosisCodes = i.DiagnosisCodes,
        Details = details ?? i.Details,
        ContentHash = i.ContentHash,
        SubmittedBy = i.SubmittedBy,
        ReceivedAt = DateTimeOffset.UtcNow,
        CorrectionReason = correctionReason ?? i.CorrectionReason,
        CorrectsItemId = correctsItemId ?? i.CorrectsItemId,
        HasDocument = hasDocument ?? i.HasDocument,
    };

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return JsonSerializer.Deserialize<T>(body, Web)!;
    }

    /// <summary>A 400 validation problem; returns its errors by field.</summary>
    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>(Web)!;
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Polls <paramref name="probe"/> until it returns true (30 s at most).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out waiting for {what}.");
    }

    /// <summary>Events of type <typeparamref name="T"/> about <paramref name="patientId"/> in Records' outbox, oldest first.</summary>
    public static Task<List<T>> OutboxEventsAsync<T>(this RecordsApp app, Guid patientId) =>
        app.WithDbAsync(async db =>
        {
            var type = typeof(T).FullName!;
            var patient = patientId.ToString();
            var payloads = await db.Database.SqlQuery<string>($"""
                SELECT payload::text AS "Value" FROM outbox_messages
                WHERE message_type = {type} AND payload->>'patientId' = {patient}
                ORDER BY created_at, id
                """).ToListAsync();
            return payloads.Select(p => JsonSerializer.Deserialize<T>(p, Web)!).ToList();
        });

    /// <summary>The access events Records wrote for the patient (they are written with the response, so no waiting).</summary>
    public static Task<List<PatientDataAccessed>> AccessEventsAsync(this RecordsApp app, Guid patientId) =>
        app.OutboxEventsAsync<PatientDataAccessed>(patientId);

    /// <summary>
    /// Asserts a refusal carries none of the strings (ids, titles, values) of the data it protects, except what the
    /// caller sent itself (a problem's <c>instance</c> repeats the request path).
    /// </summary>
    public static async Task ShouldRevealNothingAsync(this HttpResponseMessage response, params string[] secrets)
    {
        var body = await response.Content.ReadAsStringAsync();
        var sent = response.RequestMessage?.RequestUri?.ToString() ?? "";
        foreach (var secret in secrets.Where(s => !sent.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            body.ShouldNotContain(secret, Case.Insensitive);
        }
    }
}
