using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Tests.Ingestion;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Gosuslugi.Health.Records.Tests.Encryption;

/// <summary>
/// Medical content is stored sealed with the patient's data key (AES-256-GCM, the key wrapped in the HSM): the tables
/// hold no readable medical text, the API reads it back in clear, and a value that does not open (moved to another
/// patient, a wrong or missing key) answers 503 without any content.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class EncryptionAtRestTests(RecordsApp app)
{
    // Text that only the published content carries: none of it may appear in the database, as text or as bytes.
    private static readonly string[] MedicalText =
        ["Общий анализ крови", "Гемоглобин", "Срочно к эндокринологу", "соломенно-жёлтый", "Лейкоцитоз", "ОАК.pdf", "Анализ крови: PDF"];

    [Fact]
    public async Task The_tables_hold_no_readable_medical_text_and_the_api_reads_it_back()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var pdf = FhirSamples.Pdf("Анализ крови: PDF");
        var report = FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(5),
                ("718-7", "Гемоглобин", 135.0m, "г/л", (decimal?)120m, (decimal?)160m), ("2345-7", "Глюкоза", 25m, "ммоль/л", 3.9m, 6.1m))
            .WithPresentedForm(pdf, "ОАК");
        report["conclusion"] = "Лейкоцитоз.";
        report["contained"]![1]!["note"] = new JsonArray(new JsonObject { ["text"] = "Срочно к эндокринологу." });
        report["contained"]!.AsArray().Add(new JsonObject
        {
            ["resourceType"] = "Observation", ["id"] = "obs9", ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["code"] = "5778-6", ["display"] = "Цвет мочи" }) },
            ["valueString"] = "соломенно-жёлтый",
        });
        report["result"]!.AsArray().Add(new JsonObject { ["reference"] = "#obs9" });
        using var published = await client.PostFhirAsync("DiagnosticReport", report);
        var id = (await published.JsonObjectAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        var stored = await RowsAsJsonAsync(app.ConnectionString, patientId);
        stored.Count.ShouldBeGreaterThanOrEqualTo(5, "the item, its three values, its document (and the patient's key)");
        SealedStorage.ShouldHoldNoReadable(stored, MedicalText);
        var pdfHex = Convert.ToHexStringLower(pdf[..64]);
        stored.ShouldAllBe(row => !row.Contains(pdfHex), "the PDF is stored readable");
        // What queries filter on stays in clear.
        stored.ShouldContain(row => row.Contains("\"analyte_code\":\"718-7\"") && row.Contains("\"interpretation\":\"normal\""));

        using var patient = app.PatientClient(patientId);
        var item = JsonNode.Parse(await patient.GetStringAsync($"/api/v1/records/items/{id}"))!;
        item["title"]!.GetValue<string>().ShouldBe("Общий анализ крови");
        item["details"]!["conclusion"]!.GetValue<string>().ShouldBe("Лейкоцитоз.");
        item["observations"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["Гемоглобин", "Глюкоза", "Цвет мочи"]);
        item["observations"]![1]!["comment"]!.GetValue<string>().ShouldBe("Срочно к эндокринологу.");
        item["observations"]![2]!["valueText"]!.GetValue<string>().ShouldBe("соломенно-жёлтый");
        (await patient.GetByteArrayAsync($"/api/v1/records/items/{id}/document")).ShouldBe(pdf);
        var trend = JsonNode.Parse(await patient.GetStringAsync("/api/v1/records/analytes/718-7/trend"))!;
        trend["name"]!.GetValue<string>().ShouldBe("Гемоглобин");
        trend["points"]!.AsArray().Single()!["value"]!.GetValue<decimal>().ShouldBe(135.0m);

        // The key-encryption key's uses (the patient's key wrapped once) reach the security log, without key material.
        await app.Factory.Services.GetServices<IHostedService>().OfType<HsmKeyUsageLog<RecordsDb>>().Single().FlushAsync(CancellationToken.None);
        var uses = await app.WithDbAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType == typeof(SecurityEventRecorded).FullName).Select(m => m.Payload).ToListAsync());
        var wraps = uses.Select(u => JsonSerializer.Deserialize<SecurityEventRecorded>(u, IngestionSupport.Web)!)
            .Where(e => e.Kind == SecurityEventKinds.KeyUsed && e.Details["key"] == PatientDataKeys<RecordsDb>.KeyEncryptionKey)
            .ToList();
        wraps.ShouldContain(e => e.Details["operation"] == Pkcs11Hsm.Wrap && e.Details["service"] != "");
    }

    [Fact]
    public async Task A_value_moved_to_another_patient_does_not_open_and_answers_503_without_content()
    {
        var owner = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        await app.SaveAsync([TestRecords.Visit(owner, DateTimeOffset.UtcNow.AddDays(-2), title: "Приём психиатра")]);
        var victim = TestRecords.Visit(other, DateTimeOffset.UtcNow.AddDays(-1));
        await app.SaveAsync([victim]);
        // Someone with write access to the table copies the owner's sealed title into another patient's row.
        await app.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE record_items SET title = (SELECT title FROM record_items WHERE patient_id = {owner}) WHERE id = {victim.Id}"));

        using var response = await app.PatientClient(other).GetAsync("/api/v1/records/history");

        await SealedStorage.ShouldBeUnreadableProblemAsync(response, "Приём");
    }

    [Fact]
    public async Task A_missing_or_wrong_data_key_answers_503_without_content()
    {
        var missing = Guid.CreateVersion7();
        var wrong = Guid.CreateVersion7();
        var donor = Guid.CreateVersion7();
        await app.SaveAsync([TestRecords.Visit(missing, DateTimeOffset.UtcNow.AddDays(-3))]);
        await app.SaveAsync([TestRecords.Visit(wrong, DateTimeOffset.UtcNow.AddDays(-3))]);
        await app.CipherAsync(donor);
        await app.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM patient_data_keys WHERE patient_id = {missing}");
            // Another patient's wrapped key: bound to that patient, it does not unwrap for this one.
            return await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE patient_data_keys SET wrapped_key = (SELECT wrapped_key FROM patient_data_keys WHERE patient_id = {donor}) WHERE patient_id = {wrong}");
        });

        // A second instance: the first still holds both keys in memory, as it may for a few minutes.
        var second = await app.StartAnotherInstanceAsync();
        foreach (var patientId in new[] { missing, wrong })
        {
            using var client = second.CreateClient();
            client.DefaultRequestHeaders.Authorization = app.PatientClient(patientId).DefaultRequestHeaders.Authorization;
            using var response = await client.GetAsync("/api/v1/records/history");
            await SealedStorage.ShouldBeUnreadableProblemAsync(response, "Приём");
        }
    }

    [Fact]
    public async Task A_database_from_before_encryption_is_sealed_in_place_and_reads_the_same()
    {
        var patientId = Guid.CreateVersion7();
        var itemId = Guid.CreateVersion7();
        var pdf = FhirSamples.Pdf("Старый протокол");
        var details = RecordDetails.Serialize(new ResultDetails("laboratory", "58410-2", "Лейкоцитоз", null, DateTimeOffset.UtcNow));
        var database = await OldDatabase.CreateAsync(new RecordsDbFactory(), "SnakeCaseNames", $"""
            INSERT INTO record_items (id, record_id, version, is_current, patient_id, organization_id, organization_name,
                external_id, kind, resource_type, status, title, effective_at, sections, diagnosis_codes, details,
                content_hash, submitted_by, received_at, has_document, correction_reason)
            VALUES ('{itemId}', gen_random_uuid(), 1, TRUE, '{patientId}', gen_random_uuid(), 'ГБУЗ «Поликлиника»', 'old-1',
                'lab_result', 'DiagnosticReport', 'final', 'Общий анализ крови', now() - interval '1 day', ARRAY['lab_results'],
                ARRAY[]::text[], '{details}'::jsonb, repeat('0', 64), 'old-client', now(), TRUE, 'Ошибка ввода');
            INSERT INTO observations (id, item_id, patient_id, is_current, analyte_code, analyte_name, value, unit,
                reference_low, reference_high, interpretation, comment, taken_at, position)
            VALUES (gen_random_uuid(), '{itemId}', '{patientId}', TRUE, '718-7', 'Гемоглобин', 118, 'г/л', 120, 160, 'low',
                'Срочно к эндокринологу', now() - interval '1 day', 0);
            INSERT INTO record_documents (id, item_id, patient_id, content_type, file_name, content, sha256, received_at)
            VALUES (gen_random_uuid(), '{itemId}', '{patientId}', 'application/pdf', 'ОАК.pdf',
                decode('{Convert.ToHexString(pdf)}', 'hex'), repeat('0', 64), now());
            """);

        await using var upgraded = new RecordsApp(database);
        await upgraded.InitializeAsync(); // migrations, and the sealing step between them

        var stored = await RowsAsJsonAsync(database, patientId);
        SealedStorage.ShouldHoldNoReadable(stored, MedicalText);
        stored.ShouldAllBe(row => !row.Contains("_clear\""), "the clear columns are gone");

        using var patient = upgraded.PatientClient(patientId);
        var item = JsonNode.Parse(await patient.GetStringAsync($"/api/v1/records/items/{itemId}"))!;
        item["title"]!.GetValue<string>().ShouldBe("Общий анализ крови");
        item["details"]!["conclusion"]!.GetValue<string>().ShouldBe("Лейкоцитоз");
        item["observations"]![0]!["value"]!.GetValue<decimal>().ShouldBe(118m);
        item["observations"]![0]!["comment"]!.GetValue<string>().ShouldBe("Срочно к эндокринологу");
        (await patient.GetByteArrayAsync($"/api/v1/records/items/{itemId}/document")).ShouldBe(pdf);
    }

    /// <summary>Every row of the tables that hold a patient's record (and keys), as PostgreSQL renders it (bytea as hex).</summary>
    private static async Task<List<string>> RowsAsJsonAsync(string connectionString, Guid patientId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var table in new[] { "record_items", "observations", "record_documents", "patient_data_keys" })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t WHERE patient_id = @patient", connection);
            command.Parameters.AddWithValue("patient", patientId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
