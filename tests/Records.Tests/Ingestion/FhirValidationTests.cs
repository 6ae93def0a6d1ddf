using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

/// <summary>Bad resources are refused with every wrong FHIR path named, and nothing is stored; only organizations publish.</summary>
[Collection(RecordsCollection.Name)]
public sealed class FhirValidationTests(RecordsApp app)
{
    private static readonly IngestionSupport.StoredCounts Nothing = new(0, 0, 0, 0, 0);

    [Fact]
    public async Task A_lab_report_with_many_problems_names_each_of_them_and_stores_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var report = FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(2),
            ("718-7", "Гемоглобин", 135m, "г/л", 120m, 160m), ("6690-2", "Лейкоциты", 7m, "10*9/л", 4m, 9m),
            ("777-3", "Тромбоциты", 200m, "10*9/л", 180m, 320m));
        report["identifier"]![0]!.AsObject().Remove("value");
        report["effectiveDateTime"] = FhirSamples.Instant(DateTimeOffset.UtcNow.AddDays(2));
        report["issued"] = FhirSamples.Instant(DateTimeOffset.UtcNow.AddHours(-1));
        report["contained"]![1]!["valueQuantity"]!["value"] = "семь";
        report["contained"]![2]!["code"]!["coding"]![0]!.AsObject().Remove("code");
        report["contained"]![0]!["interpretation"] = new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["code"] = "WEIRD" }),
        });
        report["result"]!.AsArray().Add(new JsonObject { ["reference"] = "#missing" });
        report["status"] = "done";
        report["presentedForm"] = new JsonArray(FhirSamples.Attachment(Encoding.UTF8.GetBytes("not a pdf"), "x.pdf"));

        using var response = await client.PostFhirAsync("DiagnosticReport", report);
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        // The SDK names R4's own problems (a number that is text, a code not in the value set; a choice element by its
        // name, "value"), the profile the rest.
        errors.Keys.Order().ShouldBe(new[]
        {
            "DiagnosticReport.contained[0].interpretation[0].coding[0].code",
            "DiagnosticReport.contained[1].value.value",
            "DiagnosticReport.contained[2].code.coding[0].code",
            "DiagnosticReport.effectiveDateTime",
            "DiagnosticReport.identifier[0]",
            "DiagnosticReport.identifier[0].value",
            "DiagnosticReport.presentedForm[0].data",
            "DiagnosticReport.result[3].reference",
            "DiagnosticReport.status",
        }.Order(), string.Join(", ", errors.Keys));
        errors.Values.SelectMany(m => m).ShouldAllBe(m => m.Any(c => c >= 'А' && c <= 'я'));
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task An_encounter_with_many_problems_names_each_of_them()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var encounter = FhirSamples.EncounterNode(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1),
            visitKind: "party", diagnosisCode: "J6");
        encounter["period"]!.AsObject().Remove("start");
        encounter["identifier"]![0]!["value"] = new string('x', 129);

        using var response = await client.PostFhirAsync("Encounter", encounter);
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        errors.Keys.Order().ShouldBe(new[]
        {
            "Encounter.contained[0].code.coding[0].code",
            "Encounter.identifier[0].value",
            "Encounter.period.start",
            "Encounter.type[0].coding[0].code",
        }.Order(), string.Join(", ", errors.Keys));
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task Composition_and_care_plan_problems_are_named()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var composition = FhirSamples.CompositionNode(snils, IngestionSupport.NewExternalId("dis"), IngestionSupport.HoursAgo(1),
            discharge: true, pdf: FhirSamples.Pdf());
        composition["event"]![0]!["period"]!.AsObject().Remove("end");
        composition["section"]![0]!.AsObject().Remove("title");
        composition["extension"]![0]!["valueAttachment"]!["contentType"] = "image/png";

        using (var response = await client.PostFhirAsync("Composition", composition))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.Order().ShouldBe(new[]
            {
                "Composition.event[0].period.end",
                "Composition.extension[0].valueAttachment.contentType",
                "Composition.section[0].title",
            }.Order(), string.Join(", ", errors.Keys));
        }

        var carePlan = FhirSamples.CarePlanNode(snils, IngestionSupport.NewExternalId("disp"), DateOnly.FromDateTime(DateTime.UtcNow),
            healthGroup: "IV", stage: 3);
        carePlan["category"]![0]!["coding"]![0]!["code"] = "spa";
        carePlan["status"] = "unknown";
        using (var response = await client.PostFhirAsync("CarePlan", carePlan))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.Order().ShouldBe(new[]
            {
                "CarePlan.category[0].coding[0].code",
                "CarePlan.extension[0].valueInteger",
                "CarePlan.extension[1].valueString",
                "CarePlan.status",
            }.Order(), string.Join(", ", errors.Keys));
        }
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task An_unknown_or_malformed_SNILS_is_named()
    {
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var unknown = TestSnils.Next();
        using (var response = await client.PostFhirAsync("Encounter",
                   FhirSamples.Encounter(unknown, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1))))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.ShouldBe(["Encounter.subject.identifier.value"]);
            errors["Encounter.subject.identifier.value"].ShouldBe(["Пациент с таким СНИЛС не зарегистрирован в сервисе."]);
        }

        var broken = FhirSamples.EncounterNode(TestSnils.Broken(unknown), IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));
        broken["subject"]!["identifier"]!["system"] = "urn:oid:1.2.643.100.1";
        using (var response = await client.PostFhirAsync("Encounter", broken))
        {
            var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
            errors.Keys.Order().ShouldBe(["Encounter.subject.identifier.system", "Encounter.subject.identifier.value"]);
        }
    }

    [Fact]
    public async Task A_document_that_is_not_a_PDF_is_refused()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var json = FhirSamples.Composition(snils, IngestionSupport.NewExternalId("prot"), IngestionSupport.HoursAgo(1),
            pdf: Encoding.UTF8.GetBytes("<html>not a pdf</html>"));

        using var response = await client.PostFhirAsync("Composition", json);
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        errors.Keys.ShouldBe(["Composition.extension[0].valueAttachment.data"]);
        errors["Composition.extension[0].valueAttachment.data"].ShouldBe(["Документ не является файлом PDF."]);
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task Malformed_requests_are_refused_before_mapping()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var encounter = FhirSamples.Encounter(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));

        // A body that is no resource at all: one issue without an expression, as FHIR servers answer.
        using (var response = await client.PostFhirAsync("Encounter", "{\"resourceType\": \"Encounter\", "))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe([""]);
        }
        using (var response = await client.PostFhirAsync("Encounter", "[]"))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe([""]);
        }
        using (var response = await client.PostFhirAsync("DiagnosticReport", encounter))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe(["Encounter.resourceType"]);
        }
        using (var response = await client.PostFhirAsync("Encounter", "{\"status\": \"finished\"}"))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.BadRequest)).Keys.ShouldBe(["resourceType"]);
        }
        using (var response = await client.PostFhirAsync("Patient", encounter))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.NotFound)).Keys.ShouldBe([""]);
        }
        // Routing refuses a media type the route does not accept before the endpoint runs: the framework's 415 problem.
        using (var response = await client.PostFhirAsync("Encounter", encounter, "text/plain"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        using (var response = await client.PostFhirAsync("Encounter", encounter, "application/json"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var huge = FhirSamples.CompositionNode(snils, IngestionSupport.NewExternalId("big"), IngestionSupport.HoursAgo(1));
        huge["text"] = new JsonObject { ["div"] = new string('a', 16 * 1024 * 1024) };
        using (var response = await client.PostFhirAsync("Composition", huge))
        {
            (await response.FhirErrorsAsync(HttpStatusCode.RequestEntityTooLarge)).Keys.ShouldBe([""]);
        }
        (await app.StoredForAsync(patientId)).Items.ShouldBe(1);
    }

    [Fact]
    public async Task Only_medical_organizations_publish()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        var json = FhirSamples.Encounter(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1));
        using var patient = app.PatientClient(patientId);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);
        using var admin = app.AdminClient();
        using var anonymous = app.CreateClient();

        foreach (var client in new[] { patient, doctor, admin })
        {
            using var response = await client.PostFhirAsync("Encounter", json);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var read = await client.GetAsync($"{IngestionSupport.FhirRoute}Encounter/x");
            read.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        using (var response = await anonymous.PostFhirAsync("Encounter", json))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await app.StoredForAsync(patientId)).ShouldBe(Nothing);
    }

    [Fact]
    public async Task A_registered_patient_becomes_known_by_SNILS()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        var formatted = $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";
        var messageId = Guid.CreateVersion7();
        var message = new PatientRegistered(patientId, formatted, "Петров", "Пётр", "Петрович", new DateOnly(1990, 1, 1), DateTimeOffset.UtcNow);
        await app.Bus.Publish(message, c => c.MessageId = messageId);
        await app.Bus.Publish(message, c => c.MessageId = messageId);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ServiceDefaults.Patients.KnownPatient? known = null;
        while (known is null && DateTime.UtcNow < deadline)
        {
            known = await app.WithDbAsync(db => db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId));
            if (known is null) await Task.Delay(100);
        }
        known.ShouldNotBeNull("the PatientRegistered consumer did not store the patient within 30 s");
        known.Snils.ShouldBe(snils);
        known.FullName.ShouldBe("Петров Пётр Петрович");
        known.BirthDate.ShouldBe(new DateOnly(1990, 1, 1));

        using var client = app.OrganizationClient(Guid.CreateVersion7());
        using var response = await client.PostFhirAsync("Encounter",
            FhirSamples.Encounter(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(1)));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
