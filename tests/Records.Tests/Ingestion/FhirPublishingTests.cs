using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

/// <summary>Each FHIR resource type stored as its record item, with its event and access event.</summary>
[Collection(RecordsCollection.Name)]
public sealed class FhirPublishingTests(RecordsApp app)
{
    private static readonly string OrganizationName = "ГБУЗ «Городская поликлиника № 1»";

    [Fact]
    public async Task An_encounter_becomes_a_visit_with_its_diagnosis_and_an_event()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId);
        var externalId = IngestionSupport.NewExternalId("enc");
        var start = IngestionSupport.HoursAgo(5);

        using var response = await client.PostFhirAsync("Encounter", FhirSamples.Encounter(snils, externalId, start));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/records/items/{id}");
        body["version"]!.GetValue<int>().ShouldBe(1);
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.Visit);
        body["title"]!.GetValue<string>().ShouldBe("Приём врача-терапевта");
        body["status"]!.GetValue<string>().ShouldBe("finished");

        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        item.PatientId.ShouldBe(patientId);
        item.OrganizationId.ShouldBe(organizationId);
        item.OrganizationName.ShouldBe(OrganizationName);
        item.ExternalId.ShouldBe(externalId);
        item.ResourceType.ShouldBe("Encounter");
        item.EffectiveAt.ShouldBe(start);
        item.DoctorId.ShouldBe("doc-112-233-445-95");
        item.DoctorName.ShouldBe("Иванова Мария Петровна");
        item.Specialty.ShouldBe("терапевт");
        item.DepartmentName.ShouldBe("Терапевтическое отделение № 2");
        item.Sections.ShouldBe([RecordSections.Visits]);
        item.DiagnosisCodes.ShouldBe(["J06.9"]);
        item.SubmittedBy.ShouldBe($"client-{organizationId:N}");
        item.ContentHash.Length.ShouldBe(64);
        item.IsCurrent.ShouldBeTrue();
        item.RecordId.ShouldNotBe(Guid.Empty);

        var details = RecordDetails.Deserialize<VisitDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.VisitKind.ShouldBe("consultation");
        details.Diagnoses.ShouldBe([new Diagnosis("J06.9", "Острая инфекция верхних дыхательных путей неуточнённая", true)]);
        details.Conclusion.ShouldBe("Рекомендовано обильное питьё, контроль через 7 дней.");
        details.EndedAt.ShouldBe(start.AddMinutes(20));

        var published = (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).ShouldHaveSingleItem();
        published.ItemId.ShouldBe(id);
        published.RecordId.ShouldBe(item.RecordId);
        published.OrganizationId.ShouldBe(organizationId);
        published.Kind.ShouldBe(RecordItemKinds.Visit);
        published.Version.ShouldBe(1);
        published.AbnormalCount.ShouldBe(0);
        published.HasDocument.ShouldBeFalse();

        var access = (await app.OutboxOfAsync<PatientDataAccessed>(patientId)).ShouldHaveSingleItem();
        access.Action.ShouldBe(AccessActions.Create);
        access.Section.ShouldBe(RecordSections.Visits);
        access.ItemId.ShouldBe(id);
        access.OrganizationId.ShouldBe(organizationId);
        access.ActorRole.ShouldBe(AccessActorRoles.MedicalOrganization);
    }

    [Theory]
    [InlineData("F32.1", RecordSections.Psychiatry)]
    [InlineData("F10.2", RecordSections.Narcology)]
    [InlineData("B20", RecordSections.Hiv)]
    [InlineData("O80", RecordSections.Reproductive)]
    public async Task A_sensitive_diagnosis_adds_its_section(string code, string section)
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());

        using var response = await client.PostFhirAsync("Encounter",
            FhirSamples.Encounter(snils, IngestionSupport.NewExternalId("enc"), IngestionSupport.HoursAgo(2),
                visitKind: "examination", specialty: "врач общей практики", diagnosisCode: code, diagnosisName: "Диагноз"));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["title"]!.GetValue<string>().ShouldBe("Осмотр: врач общей практики");
        body["sections"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe([RecordSections.Visits, section]);

        var published = (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).ShouldHaveSingleItem();
        published.Sections.ShouldBe([RecordSections.Visits, section]);
        (await app.OutboxOfAsync<PatientDataAccessed>(patientId)).ShouldHaveSingleItem().Section.ShouldBe(RecordSections.Visits);
    }

    [Fact]
    public async Task A_lab_report_stores_its_values_in_order_flags_them_and_keeps_its_PDF()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var takenAt = IngestionSupport.HoursAgo(26);
        var pdf = FhirSamples.Pdf("Общий анализ крови");
        var report = FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), takenAt,
                ("718-7", "Гемоглобин", 135.0m, "г/л", 120m, 160m),
                ("6690-2", "Лейкоциты", 11.2m, "10*9/л", 4m, 9m),
                ("777-3", "Тромбоциты", 150m, "10*9/л", 180m, 320m),
                ("2345-7", "Глюкоза", 25m, "ммоль/л", 3.9m, 6.1m))
            .WithPresentedForm(pdf, "ОАК");
        // The organization flags glucose as critical and comments on it; the others are computed from their ranges.
        var glucose = report["contained"]![3]!.AsObject();
        glucose["interpretation"] = new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["code"] = "HH" }),
        });
        glucose["note"] = new JsonArray(new JsonObject { ["text"] = "Срочно к эндокринологу." });
        report["contained"]!.AsArray().Add(new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = "obs5",
            ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["code"] = "5778-6", ["display"] = "Цвет мочи" }) },
            ["valueString"] = "соломенно-жёлтый",
        });
        report["result"]!.AsArray().Add(new JsonObject { ["reference"] = "#obs5" });

        using var response = await client.PostFhirAsync("DiagnosticReport", report);
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<Guid>();
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.LabResult);
        body["title"]!.GetValue<string>().ShouldBe("Общий анализ крови");
        body["hasDocument"]!.GetValue<bool>().ShouldBeTrue();
        body["abnormalCount"]!.GetValue<int>().ShouldBe(3);

        var (item, observations, document) = await app.WithDbAsync(async db => (
            await db.Items.AsNoTracking().SingleAsync(i => i.Id == id),
            await db.Observations.AsNoTracking().Where(o => o.ItemId == id).OrderBy(o => o.Position).ToListAsync(),
            await db.Documents.AsNoTracking().SingleAsync(d => d.ItemId == id)));
        item.Sections.ShouldBe([RecordSections.LabResults]);
        item.EffectiveAt.ShouldBe(takenAt);
        item.HasDocument.ShouldBeTrue();
        var details = RecordDetails.Deserialize<ResultDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.Category.ShouldBe("laboratory");
        details.Code.ShouldBe("58410-2");
        details.Conclusion.ShouldBe("Лейкоцитоз.");
        details.IssuedAt.ShouldBe(takenAt.AddHours(3));

        observations.Select(o => o.AnalyteCode).ShouldBe(["718-7", "6690-2", "777-3", "2345-7", "5778-6"]);
        observations.Select(o => o.Position).ShouldBe([0, 1, 2, 3, 4]);
        observations.Select(o => o.Interpretation).ShouldBe(
            [Interpretations.Normal, Interpretations.High, Interpretations.Low, Interpretations.Critical, Interpretations.Unknown]);
        observations.ShouldAllBe(o => o.IsCurrent && o.PatientId == patientId && o.TakenAt == takenAt);
        var cipher = await app.CipherAsync(patientId);
        var values = observations.Select(o => ObservationContent.Open(cipher, o.Content)).ToList();
        values[0].Value.ShouldBe(135m);
        observations[0].Unit.ShouldBe("г/л");
        values[0].ReferenceLow.ShouldBe(120m);
        values[0].ReferenceHigh.ShouldBe(160m);
        values[3].Comment.ShouldBe("Срочно к эндокринологу.");
        values[4].ValueText.ShouldBe("соломенно-жёлтый");
        values[4].Value.ShouldBeNull();

        cipher.Open(document.Content).ShouldBe(pdf);
        document.Size.ShouldBe(pdf.Length);
        document.ContentType.ShouldBe("application/pdf");
        cipher.OpenText(document.FileName).ShouldBe("ОАК.pdf");
        document.PatientId.ShouldBe(patientId);

        var published = (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).ShouldHaveSingleItem();
        published.AbnormalCount.ShouldBe(3);
        published.HasDocument.ShouldBeTrue();
        published.Sections.ShouldBe([RecordSections.LabResults]);
        (await app.OutboxOfAsync<PatientDataAccessed>(patientId)).ShouldHaveSingleItem().Section.ShouldBe(RecordSections.LabResults);
    }

    [Fact]
    public async Task A_non_laboratory_report_is_a_diagnostic_result()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var report = FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("ecg"), IngestionSupport.HoursAgo(3));
        report["category"]![0]!["coding"]![0]!["code"] = "EC";
        report["code"] = new JsonObject { ["text"] = "Электрокардиография" };
        report.Remove("contained");
        report.Remove("result");
        report["conclusion"] = "Ритм синусовый, ЧСС 72.";

        using var response = await client.PostFhirAsync("DiagnosticReport", report);
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.DiagnosticResult);
        body["title"]!.GetValue<string>().ShouldBe("Электрокардиография");
        var id = body["id"]!.GetValue<Guid>();
        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        RecordDetails.Deserialize<ResultDetails>(await app.OpenTextAsync(item.PatientId, item.Details)).Category.ShouldBe("functional");
        item.Sections.ShouldBe([RecordSections.LabResults]);
    }

    [Fact]
    public async Task A_composition_becomes_a_protocol_with_sections_diagnoses_and_its_PDF()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var date = IngestionSupport.HoursAgo(30);
        var pdf = FhirSamples.Pdf("Протокол");

        using var response = await client.PostFhirAsync("Composition",
            FhirSamples.Composition(snils, IngestionSupport.NewExternalId("prot"), date, pdf: pdf));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.Protocol);
        body["title"]!.GetValue<string>().ShouldBe("Протокол осмотра врача-кардиолога");
        var id = body["id"]!.GetValue<Guid>();

        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        item.EffectiveAt.ShouldBe(date);
        item.DiagnosisCodes.ShouldBe(["I10"]);
        item.DoctorName.ShouldBe("Иванова Мария Петровна");
        var details = RecordDetails.Deserialize<DocumentDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.Sections.Select(s => s.Title).ShouldBe(["Жалобы и анамнез", "Объективный статус", "Диагноз", "Назначения", "Рекомендации"]);
        details.Sections[0].Text.ShouldBe("Головные боли по утрам.\nАД до 160/95.");
        details.Findings.ShouldBe("АД 150/90, ЧСС 78.");
        details.Prescriptions.ShouldBe("Лозартан 50 мг утром.");
        details.Recommendations.ShouldBe("Ограничить соль, контроль АД.");
        details.FollowUp.ShouldBeNull();
        details.Diagnoses.ShouldBe([new Diagnosis("I10", "Эссенциальная (первичная) гипертензия", true)]);
        details.AdmittedAt.ShouldBeNull();

        var document = await app.WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.ItemId == id));
        (await app.CipherAsync(patientId)).Open(document.Content).ShouldBe(pdf);
        (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).ShouldHaveSingleItem().HasDocument.ShouldBeTrue();
    }

    [Fact]
    public async Task A_discharge_summary_keeps_its_stay()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var date = IngestionSupport.HoursAgo(48);

        using var response = await client.PostFhirAsync("Composition",
            FhirSamples.Composition(snils, IngestionSupport.NewExternalId("dis"), date, discharge: true, diagnosisCode: "O80",
                diagnosisName: "Роды одноплодные"));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.Discharge);
        body["hasDocument"]!.GetValue<bool>().ShouldBeFalse();
        var id = body["id"]!.GetValue<Guid>();
        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        item.Sections.ShouldBe([RecordSections.Visits, RecordSections.Reproductive]);
        var details = RecordDetails.Deserialize<DocumentDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.AdmittedAt.ShouldBe(date.AddDays(-7));
        details.DischargedAt.ShouldBe(date);
    }

    [Fact]
    public async Task A_care_plan_becomes_a_preventive_exam()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var plannedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-10));

        using var response = await client.PostFhirAsync("CarePlan",
            FhirSamples.CarePlan(snils, IngestionSupport.NewExternalId("disp"), plannedOn, healthGroup: "IIIa"));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["kind"]!.GetValue<string>().ShouldBe(RecordItemKinds.PreventiveExam);
        body["title"]!.GetValue<string>().ShouldBe("Диспансеризация, 1 этап");
        var id = body["id"]!.GetValue<Guid>();

        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        item.Sections.ShouldBe([RecordSections.Visits]);
        var details = RecordDetails.Deserialize<PreventiveExamDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.Program.ShouldBe("dispanserization");
        details.Stage.ShouldBe(1);
        details.ExamStatus.ShouldBe("done");
        details.PlannedOn.ShouldBe(plannedOn);
        details.CompletedOn.ShouldBe(plannedOn);
        details.HealthGroup.ShouldBe("IIIa");
        details.Steps.Count.ShouldBe(3);
        details.Steps[1].ShouldBe(new PreventiveExamStep("Измерение артериального давления", "125/80 мм рт. ст.", plannedOn));
        details.Recommendations.ShouldBe("Ходьба 30 минут в день, контроль через год.");
        (await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId)).ShouldHaveSingleItem().Kind.ShouldBe(RecordItemKinds.PreventiveExam);
    }

    [Fact]
    public async Task A_planned_preventive_exam_may_lie_in_the_future()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var plannedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));

        using var response = await client.PostFhirAsync("CarePlan",
            FhirSamples.CarePlan(snils, IngestionSupport.NewExternalId("prof"), plannedOn, program: "prof_exam", status: "draft",
                healthGroup: null));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["title"]!.GetValue<string>().ShouldBe("Профилактический медицинский осмотр");
        var id = body["id"]!.GetValue<Guid>();
        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == id));
        var details = RecordDetails.Deserialize<PreventiveExamDetails>(await app.OpenTextAsync(item.PatientId, item.Details));
        details.ExamStatus.ShouldBe("planned");
        details.CompletedOn.ShouldBeNull();
        details.Steps.ShouldAllBe(s => s.DoneOn == null && s.Result == null);
    }
}
