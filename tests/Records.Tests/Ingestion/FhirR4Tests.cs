using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Ingestion;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

/// <summary>
/// The FHIR R4 interface at /fhir/R4: R4 as the SDK reads it (partial dates, types, codes), its CapabilityStatement, and
/// transaction Bundles stored all-or-nothing with every problem named by its entry.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class FhirR4Tests(RecordsApp app, ITestOutputHelper output)
{
    private static readonly IngestionSupport.StoredCounts Nothing = new(0, 0, 0, 0, 0);

    [Fact]
    public async Task Partial_dates_that_R4_allows_are_accepted_as_their_first_day()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());

        foreach (var (date, expected) in new[]
                 {
                     ("2024", new DateTimeOffset(2023, 12, 31, 21, 0, 0, TimeSpan.Zero)),
                     ("2024-03", new DateTimeOffset(2024, 2, 29, 21, 0, 0, TimeSpan.Zero)),
                     ("2024-03-05", new DateTimeOffset(2024, 3, 4, 21, 0, 0, TimeSpan.Zero)),
                 })
        {
            var encounter = FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));
            encounter["period"] = new JsonObject { ["start"] = date };
            using var response = await client.PostFhirR4Async(encounter);
            var body = await response.JsonObjectAsync(HttpStatusCode.Created);
            var id = body["id"]!.GetValue<Guid>();
            var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
            item.EffectiveAt.ShouldBe(expected, date);
        }
    }

    [Fact]
    public async Task Values_of_the_wrong_R4_type_or_code_are_named_and_nothing_is_stored()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var encounter = FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));
        encounter["status"] = 5;
        encounter.Remove("class");
        encounter["period"]!["start"] = "2024-02-30";
        encounter["diagnosis"]![0]!["rank"] = "первый";
        encounter["unknownElement"] = true;

        using var response = await client.PostFhirR4Async(encounter);
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        errors.Keys.Order().ShouldBe(new[]
        {
            "Encounter.class",
            "Encounter.diagnosis[0].rank",
            "Encounter.period.start",
            "Encounter.status",
            "Encounter.unknownElement",
        }.Order(), string.Join(", ", errors.Keys));
        errors.Values.SelectMany(m => m).ShouldAllBe(m => m.Any(c => c >= 'А' && c <= 'я'));
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task The_capability_statement_lists_what_organizations_may_send_without_a_token()
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(IngestionSupport.FhirBase + "/metadata");
        var statement = await response.JsonObjectAsync(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(FhirSamples.MediaType);

        statement["resourceType"]!.GetValue<string>().ShouldBe("CapabilityStatement");
        statement["fhirVersion"]!.GetValue<string>().ShouldBe("4.0.1");
        statement["kind"]!.GetValue<string>().ShouldBe("instance");
        var rest = statement["rest"]![0]!;
        rest["mode"]!.GetValue<string>().ShouldBe("server");
        rest["resource"]!.AsArray().Select(r => (string)r!["type"]!).ShouldBe(FhirProfile.ResourceTypes);
        rest["resource"]!.AsArray().ShouldAllBe(r => (string)r!["interaction"]![0]!["code"]! == "create");
        rest["interaction"]![0]!["code"]!.GetValue<string>().ShouldBe("transaction");
        rest["security"]!["service"]![0]!["coding"]![0]!["code"]!.GetValue<string>().ShouldBe("OAuth");
    }

    [Fact]
    public void The_SDK_is_warmed_up_at_start_up() =>
        app.Factory.Services.GetServices<IHostedService>().ShouldContain(service => service.GetType().Name == "FhirWarmUp");

    [Fact]
    public async Task A_transaction_stores_its_resources_together_and_a_resend_changes_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var bundle = FhirSamples.Transaction(
            FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(5)),
            FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(4)),
            FhirSamples.CompositionNode(snils, IngestionSupport.NewExternalId("prot"), IngestionSupport.HoursAgo(3)),
            FhirSamples.CarePlanNode(snils, IngestionSupport.NewExternalId("disp"), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))));

        using (var response = await client.PostTransactionAsync(bundle))
        {
            var answer = await response.JsonObjectAsync(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe(FhirSamples.MediaType);
            answer["resourceType"]!.GetValue<string>().ShouldBe("Bundle");
            answer["type"]!.GetValue<string>().ShouldBe("transaction-response");
            var entries = answer["entry"]!.AsArray();
            entries.Count.ShouldBe(4);
            entries.ShouldAllBe(e => (string)e!["response"]!["status"]! == "201 Created"
                && ((string)e["response"]!["location"]!).StartsWith("/api/v1/records/items/") && (string)e["response"]!["etag"]! == "W/\"1\"");
        }
        var stored = await app.StoredForAsync(patientId);
        stored.ShouldBe(new IngestionSupport.StoredCounts(4, 4, 2, 0, 4 + 4));
        (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).Select(e => e.Kind).ShouldBe(
            [RecordItemKinds.Visit, RecordItemKinds.LabResult, RecordItemKinds.Protocol, RecordItemKinds.PreventiveExam]);

        using (var resend = await client.PostTransactionAsync(bundle))
        {
            var answer = await resend.JsonObjectAsync(HttpStatusCode.OK);
            answer["entry"]!.AsArray().ShouldAllBe(e => (string)e!["response"]!["status"]! == "200 OK");
        }
        (await app.StoredForAsync(patientId)).ShouldBe(stored);
    }

    [Fact]
    public async Task One_bad_entry_leaves_the_whole_transaction_unstored_and_is_named_by_its_entry()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var wrongDiagnosis = FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(2), diagnosisCode: "J6");
        var bundle = FhirSamples.Transaction(
            FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(5)),
            FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(4)),
            FhirSamples.EncounterNode(TestSnils.Next(), IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(3)),
            wrongDiagnosis);

        using var response = await client.PostTransactionAsync(bundle);
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        errors.Keys.Order().ShouldBe(new[]
        {
            "Bundle.entry[2].resource.subject.identifier.value",
            "Bundle.entry[3].resource.contained[0].code.coding[0].code",
        }.Order(), string.Join(", ", errors.Keys));
        errors["Bundle.entry[2].resource.subject.identifier.value"].ShouldBe([RecordIngestion.UnknownPatient]);
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task An_entry_refused_while_storing_rolls_back_the_entries_stored_before_it()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var (corrected, unexplained) = (IngestionSupport.NewExternalId("enc"), IngestionSupport.NewExternalId("enc"));
        var start = IngestionSupport.HoursAgo(5);
        foreach (var externalId in new[] { corrected, unexplained })
        {
            using var first = await client.PostFhirR4Async(FhirSamples.EncounterNode(snils, externalId, start));
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        var before = await app.StoredForAsync(patientId);

        // The second entry supersedes a stored version; the third changes another without a reason, found only when
        // the entries before it are being stored.
        var bundle = FhirSamples.Transaction(
            FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(4)),
            FhirSamples.EncounterNode(snils, corrected, start, diagnosisCode: "J20.9", diagnosisName: "Острый бронхит",
                correctionReason: "Уточнён диагноз"),
            FhirSamples.EncounterNode(snils, unexplained, start, diagnosisCode: "J20.9", diagnosisName: "Острый бронхит"));
        using (var response = await client.PostTransactionAsync(bundle))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.ShouldBe(["Bundle.entry[2].resource." + FhirProfile.CorrectionReasonPath]);
        }
        (await app.StoredForAsync(patientId)).ShouldBe(before);

        var twice = FhirSamples.Transaction(
            FhirSamples.EncounterNode(snils, corrected, start),
            FhirSamples.EncounterNode(snils, corrected, start, correctionReason: "Повтор"));
        using (var response = await client.PostTransactionAsync(twice))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["Bundle.entry[1].resource.identifier[0].value"]);
        }
        (await app.StoredForAsync(patientId)).ShouldBe(before);
    }

    [Fact]
    public async Task An_invalid_bundle_is_refused_with_every_problem_named()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var bundle = FhirSamples.Transaction(
            FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(5)),
            new JsonObject { ["resourceType"] = "Patient", ["active"] = true },
            FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(4)));
        bundle["type"] = "batch";
        bundle["entry"]![2]!["request"]!["url"] = "DiagnosticReport";
        bundle["entry"]!.AsArray().Add(new JsonObject { ["fullUrl"] = "urn:uuid:" + Guid.NewGuid() });

        using (var response = await client.PostTransactionAsync(bundle))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.Order().ShouldBe(new[]
            {
                "Bundle.entry[1].resource.resourceType",
                "Bundle.entry[2].request",
                "Bundle.entry[3].resource",
                "Bundle.type",
            }.Order(), string.Join(", ", errors.Keys));
        }
        var empty = FhirSamples.Transaction();
        empty.Remove("entry");
        using (var response = await client.PostTransactionAsync(empty))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["Bundle.entry"]);
        }
        using (var response = await client.PostTransactionAsync(
                   FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(5))))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe(["Encounter.resourceType"]);
        }
        using (var response = await client.PostAsync(IngestionSupport.FhirBase,
                   new StringContent("{\"resourceType\": \"Bundle\", \"entry\": [", Encoding.UTF8, FhirSamples.MediaType)))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe([""]);
        }
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task Only_medical_organizations_publish_at_the_FHIR_base()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        var encounter = FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));
        using var patient = app.PatientClient(patientId);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);
        using var admin = app.AdminClient();
        using var anonymous = app.CreateClient();

        foreach (var (client, expected) in new[]
                 {
                     (patient, HttpStatusCode.Forbidden), (doctor, HttpStatusCode.Forbidden), (admin, HttpStatusCode.Forbidden),
                     (anonymous, HttpStatusCode.Unauthorized),
                 })
        {
            using (var response = await client.PostTransactionAsync(FhirSamples.Transaction(encounter.DeepClone().AsObject())))
            {
                response.StatusCode.ShouldBe(expected);
            }
            using (var response = await client.PostFhirR4Async(encounter))
            {
                response.StatusCode.ShouldBe(expected);
            }
        }
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    /// <summary>Also the figure for the closing note (in the test's output; nothing asserted about time).</summary>
    [Fact]
    public async Task A_transaction_of_100_resources_is_stored_whole()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        JsonObject Bundle(int count) => FhirSamples.Transaction(Enumerable.Range(0, count)
            .Select(i => i % 2 == 0
                ? FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(100 + i))
                : FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(100 + i)))
            .ToArray());
        using (var first = await client.PostTransactionAsync(Bundle(2)))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var bundle = Bundle(100);
        var bytes = Encoding.UTF8.GetByteCount(bundle.ToJsonString());
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.PostTransactionAsync(bundle);
        stopwatch.Stop();
        var answer = await response.JsonObjectAsync(HttpStatusCode.OK);
        answer["entry"]!.AsArray().Count.ShouldBe(100);
        output.WriteLine($"Transaction Bundle of 100 resources ({bytes / 1024} KB): {stopwatch.ElapsedMilliseconds} ms in process");
        (await app.StoredForAsync(patientId)).Items.ShouldBe(102);
    }
}
