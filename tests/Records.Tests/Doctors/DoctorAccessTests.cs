using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Domain;
using static Gosuslugi.Health.Records.Tests.Doctors.CareTestSupport;

namespace Gosuslugi.Health.Records.Tests.Doctors;

/// <summary>
/// A doctor reads a patient's record only while their organization has the patient in care, never a section the
/// patient closed to it; everyone else gets 403 or 404 with no data, and every read and refusal is logged.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class DoctorAccessTests(RecordsApp app)
{
    private const string Hemoglobin = "718-7";

    /// <summary>A patient with a visit (written by <paramref name="writtenBy"/>, with a PDF) and two hemoglobin results.</summary>
    private sealed record Record(Guid PatientId, TestItem Visit, TestItem FirstResult, TestItem SecondResult);

    private async Task<Record> PatientWithRecordAsync(Guid writtenBy)
    {
        var patientId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var visit = TestRecords.Visit(patientId, now.AddDays(-20), writtenBy, title: "Приём врача-терапевта");
        var first = TestRecords.LabResult(patientId, now.AddDays(-60), Guid.CreateVersion7(), title: "Общий анализ крови (январь)");
        var second = TestRecords.LabResult(patientId, now.AddDays(-10), writtenBy, title: "Общий анализ крови (март)");
        await app.SaveAsync([visit, first, second],
        [
            TestRecords.Value(first, Hemoglobin, "Гемоглобин", 120m, "г/л", 120m, 160m),
            TestRecords.Value(second, Hemoglobin, "Гемоглобин", 132m, "г/л", 120m, 160m),
        ]);
        await app.SaveDocumentAsync(TestRecords.Pdf(visit));
        return new Record(patientId, visit, first, second);
    }

    private static string[] Routes(Record record) =>
    [
        $"/api/v1/records/patients/{record.PatientId}/history",
        $"/api/v1/records/patients/{record.PatientId}/items/{record.Visit.Id}",
        $"/api/v1/records/patients/{record.PatientId}/items/{record.Visit.Id}/document",
        $"/api/v1/records/patients/{record.PatientId}/analytes/{Hemoglobin}/trend",
    ];

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<List<string>> TitlesAsync(HttpResponseMessage response) =>
        (await ReadObjectAsync(response))["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();

    /// <summary>Every route answers 404 (or 403) and nothing of the record is in any body.</summary>
    private static async Task ShouldSeeNothingAsync(HttpClient client, Record record, params HttpStatusCode[] allowed)
    {
        foreach (var route in Routes(record))
        {
            using var response = await client.GetAsync(route);
            response.StatusCode.ShouldBeOneOf(allowed.Length > 0 ? allowed : [HttpStatusCode.NotFound]);
            var body = await response.Content.ReadAsStringAsync();
            body.ShouldNotContain("Приём врача-терапевта");
            body.ShouldNotContain("Общий анализ крови");
            body.ShouldNotContain("Гемоглобин");
            body.ShouldNotContain("%PDF");
        }
    }

    [Fact]
    public async Task A_doctor_of_the_attached_organization_reads_everything_until_the_patient_is_detached()
    {
        var clinic = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(clinic);
        var attachment = await app.AttachAsync(record.PatientId, clinic);
        var doctorId = Guid.CreateVersion7();
        using var doctor = app.DoctorClient(doctorId, clinic);

        using var history = await doctor.GetAsync(Routes(record)[0]);
        history.StatusCode.ShouldBe(HttpStatusCode.OK, await history.Content.ReadAsStringAsync());
        (await TitlesAsync(history)).ShouldBe(["Общий анализ крови (март)", "Приём врача-терапевта", "Общий анализ крови (январь)"]);

        using var item = await doctor.GetAsync(Routes(record)[1]);
        item.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadObjectAsync(item))["title"]!.GetValue<string>().ShouldBe("Приём врача-терапевта");

        using var document = await doctor.GetAsync(Routes(record)[2]);
        document.StatusCode.ShouldBe(HttpStatusCode.OK);
        document.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        (await document.Content.ReadAsByteArrayAsync()).ShouldBe(TestRecords.Pdf(record.Visit).Content);

        using var trend = await doctor.GetAsync(Routes(record)[3]);
        trend.StatusCode.ShouldBe(HttpStatusCode.OK);
        var series = await ReadObjectAsync(trend);
        series["points"]!.AsArray().Select(p => p!["value"]!.GetValue<decimal>()).ShouldBe([120m, 132m]);
        series["change"]!["direction"]!.GetValue<string>().ShouldBe("up");

        var reads = await app.AccessEventsAsync(record.PatientId);
        reads.Count.ShouldBe(4);
        reads.ShouldAllBe(e => e.Outcome == AccessOutcomes.Allowed && e.Action == AccessActions.Read
            && e.ActorRole == AccessActorRoles.Doctor && e.ActorId == doctorId && e.ActorName == "Иванова Мария Петровна"
            && e.OrganizationId == clinic && e.Service == "records" && e.Purpose == "оказание медицинской помощи");
        reads[1].ItemId.ShouldBe(record.Visit.Id);
        reads[2].ItemId.ShouldBe(record.Visit.Id);
        reads[3].Section.ShouldBe(RecordSections.LabResults);

        await app.DetachAsync(attachment, record.PatientId, clinic);

        await ShouldSeeNothingAsync(doctor, record);
        var refusals = (await app.AccessEventsAsync(record.PatientId)).Skip(4).ToList();
        refusals.Count.ShouldBe(4);
        refusals.ShouldAllBe(e => e.Outcome == AccessOutcomes.Refused && e.OrganizationId == clinic && e.ActorId == doctorId);
    }

    [Fact]
    public async Task An_appointment_opens_the_record_to_the_organization_and_its_cancellation_closes_it()
    {
        var hospital = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(Guid.CreateVersion7());
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), hospital);
        await ShouldSeeNothingAsync(doctor, record);

        var appointment = Guid.CreateVersion7();
        await app.BookAsync(appointment, record.PatientId, hospital, DateTimeOffset.UtcNow.AddDays(2));
        using (var history = await doctor.GetAsync(Routes(record)[0]))
        {
            history.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await TitlesAsync(history)).Count.ShouldBe(3);
        }

        await app.CancelAsync(appointment, record.PatientId, hospital);
        await ShouldSeeNothingAsync(doctor, record);
    }

    [Fact]
    public async Task A_past_appointment_has_closed_the_record_and_moving_it_to_a_new_date_opens_it_again()
    {
        var hospital = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(hospital);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), hospital);
        var appointment = Guid.CreateVersion7();

        // Booked 50 days ago for 40 days ago: the 30 days after the visit are over.
        await app.BookAsync(appointment, record.PatientId, hospital, DateTimeOffset.UtcNow.AddDays(-40), DateTimeOffset.UtcNow.AddDays(-50));
        await ShouldSeeNothingAsync(doctor, record);

        await app.BookAsync(appointment, record.PatientId, hospital, DateTimeOffset.UtcNow.AddDays(2));
        using var history = await doctor.GetAsync(Routes(record)[0]);
        history.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_doctor_of_another_organization_gets_the_same_404_as_for_a_patient_who_does_not_exist()
    {
        var clinic = Guid.CreateVersion7();
        var stranger = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(clinic);
        await app.AttachAsync(record.PatientId, clinic);
        var doctorId = Guid.CreateVersion7();
        using var doctor = app.DoctorClient(doctorId, stranger, "ГБУЗ «Другая поликлиника»");

        await ShouldSeeNothingAsync(doctor, record);

        using var existing = await doctor.GetAsync(Routes(record)[0]);
        using var missing = await doctor.GetAsync($"/api/v1/records/patients/{Guid.CreateVersion7()}/history");
        (await ReadObjectAsync(existing))["detail"]!.GetValue<string>()
            .ShouldBe((await ReadObjectAsync(missing))["detail"]!.GetValue<string>());

        var refusals = await app.AccessEventsAsync(record.PatientId);
        refusals.Count.ShouldBe(5);
        refusals.ShouldAllBe(e => e.Outcome == AccessOutcomes.Refused && e.OrganizationId == stranger && e.ActorId == doctorId);
    }

    [Fact]
    public async Task A_hidden_section_is_hidden_from_other_organizations_but_not_from_the_one_that_wrote_it()
    {
        var clinic = Guid.CreateVersion7();
        var hospital = Guid.CreateVersion7();
        var patientId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var clinicPsychiatry = TestRecords.Visit(patientId, now.AddDays(-30), clinic, title: "Приём врача-психиатра (поликлиника)",
            diagnosisCode: "F32.1", sections: [RecordSections.Visits, RecordSections.Psychiatry]);
        var hospitalPsychiatry = TestRecords.Visit(patientId, now.AddDays(-20), hospital, title: "Консультация психиатра (больница)",
            diagnosisCode: "F41.1", sections: [RecordSections.Visits, RecordSections.Psychiatry]);
        var ordinary = TestRecords.Visit(patientId, now.AddDays(-10), clinic, title: "Приём врача-терапевта");
        await app.SaveAsync([clinicPsychiatry, hospitalPsychiatry, ordinary]);
        await app.SaveDocumentAsync(TestRecords.Pdf(clinicPsychiatry, "Психиатрическое заключение"));
        await app.AttachAsync(patientId, clinic);
        await app.BookAsync(Guid.CreateVersion7(), patientId, hospital, now.AddDays(1));
        await app.RestrictAsync(patientId, SectionKind, null, RecordSections.Psychiatry);
        using var clinicDoctor = app.DoctorClient(Guid.CreateVersion7(), clinic);
        using var hospitalDoctor = app.DoctorClient(Guid.CreateVersion7(), hospital, "ГБУЗ «Городская больница № 2»");

        using (var history = await clinicDoctor.GetAsync($"/api/v1/records/patients/{patientId}/history"))
        {
            (await TitlesAsync(history)).ShouldBe(["Приём врача-терапевта", "Приём врача-психиатра (поликлиника)"]);
        }
        using (var history = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/history"))
        {
            (await TitlesAsync(history)).ShouldBe(["Приём врача-терапевта", "Консультация психиатра (больница)"]);
        }

        // Page by page, the hidden item leaves no gap: a page of one and the next page of one.
        using (var page = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/history?limit=1"))
        {
            var body = await ReadObjectAsync(page);
            body["items"]!.AsArray().Count.ShouldBe(1);
            var cursor = body["nextCursor"]!.GetValue<string>();
            using var next = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/history?limit=1&cursor={cursor}");
            (await TitlesAsync(next)).ShouldBe(["Консультация психиатра (больница)"]);
        }

        (await clinicDoctor.GetAsync($"/api/v1/records/patients/{patientId}/items/{clinicPsychiatry.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await clinicDoctor.GetAsync($"/api/v1/records/patients/{patientId}/items/{clinicPsychiatry.Id}/document")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var hidden = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/items/{clinicPsychiatry.Id}"))
        {
            hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await hidden.Content.ReadAsStringAsync()).ShouldNotContain("психиатр");
        }
        using (var hidden = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/items/{clinicPsychiatry.Id}/document"))
        {
            hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await hidden.Content.ReadAsStringAsync()).ShouldNotContain("%PDF");
        }

        var refused = (await app.AccessEventsAsync(patientId)).Where(e => e.Outcome == AccessOutcomes.Refused).ToList();
        refused.Count.ShouldBe(2);
        refused.ShouldAllBe(e => e.OrganizationId == hospital && e.ItemId == clinicPsychiatry.Id && e.Section == RecordSections.Psychiatry);
    }

    [Fact]
    public async Task A_trend_leaves_out_values_of_a_section_hidden_from_all_but_the_author()
    {
        const string viralLoad = "20447-9";
        var clinic = Guid.CreateVersion7();
        var hospital = Guid.CreateVersion7();
        var patientId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var hivPanel = TestRecords.Item(patientId, "lab_result", "DiagnosticReport", now.AddDays(-30), hospital, "doc-2",
            "Исследование при ВИЧ-инфекции", TestRecords.LabResult(patientId, now).Details,
            [RecordSections.LabResults, RecordSections.Hiv], ["B20.0"]);
        var bloodCount = TestRecords.LabResult(patientId, now.AddDays(-10), clinic);
        await app.SaveAsync([hivPanel, bloodCount],
        [
            TestRecords.Value(hivPanel, Hemoglobin, "Гемоглобин", 110m, "г/л", 120m, 160m),
            TestRecords.Value(hivPanel, viralLoad, "Вирусная нагрузка ВИЧ", 50m, "копий/мл", position: 1),
            TestRecords.Value(bloodCount, Hemoglobin, "Гемоглобин", 130m, "г/л", 120m, 160m),
        ]);
        await app.AttachAsync(patientId, clinic);
        await app.BookAsync(Guid.CreateVersion7(), patientId, hospital, now.AddDays(1));
        await app.RestrictAsync(patientId, SectionKind, null, RecordSections.Hiv);
        using var clinicDoctor = app.DoctorClient(Guid.CreateVersion7(), clinic);
        using var hospitalDoctor = app.DoctorClient(Guid.CreateVersion7(), hospital);

        using (var trend = await clinicDoctor.GetAsync($"/api/v1/records/patients/{patientId}/analytes/{Hemoglobin}/trend"))
        {
            var series = await ReadObjectAsync(trend);
            series["points"]!.AsArray().Select(p => p!["value"]!.GetValue<decimal>()).ShouldBe([130m]);
            series["previous"].ShouldBeNull();
            series["change"].ShouldBeNull();
        }
        using (var hidden = await clinicDoctor.GetAsync($"/api/v1/records/patients/{patientId}/analytes/{viralLoad}/trend"))
        {
            hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await hidden.Content.ReadAsStringAsync()).ShouldNotContain("ВИЧ");
        }
        using (var trend = await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/analytes/{Hemoglobin}/trend"))
        {
            (await ReadObjectAsync(trend))["points"]!.AsArray().Select(p => p!["value"]!.GetValue<decimal>()).ShouldBe([110m, 130m]);
        }
        (await hospitalDoctor.GetAsync($"/api/v1/records/patients/{patientId}/analytes/{viralLoad}/trend")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_organization_refused_the_record_sees_nothing_and_one_refused_a_section_loses_it_even_where_it_wrote_it()
    {
        var clinic = Guid.CreateVersion7();
        var hospital = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(clinic);
        await app.AttachAsync(record.PatientId, clinic);
        await app.BookAsync(Guid.CreateVersion7(), record.PatientId, hospital, DateTimeOffset.UtcNow.AddDays(1));
        using var clinicDoctor = app.DoctorClient(Guid.CreateVersion7(), clinic);
        using var hospitalDoctor = app.DoctorClient(Guid.CreateVersion7(), hospital);

        await app.RestrictAsync(record.PatientId, OrganizationKind, hospital, null);
        await ShouldSeeNothingAsync(hospitalDoctor, record);

        await app.RestrictAsync(record.PatientId, OrganizationKind, clinic, RecordSections.LabResults);
        using (var history = await clinicDoctor.GetAsync(Routes(record)[0]))
        {
            (await TitlesAsync(history)).ShouldBe(["Приём врача-терапевта"]);
        }
        (await clinicDoctor.GetAsync($"/api/v1/records/patients/{record.PatientId}/items/{record.SecondResult.Id}"))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clinicDoctor.GetAsync(Routes(record)[3])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clinicDoctor.GetAsync(Routes(record)[1])).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Patient_admin_and_other_tokens_are_refused_on_doctor_routes_and_a_doctor_on_the_patients_own_routes()
    {
        var clinic = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(clinic);
        await app.AttachAsync(record.PatientId, clinic);

        // The patient themselves, another patient, an admin, the organization's machine client: not doctors.
        using var patient = app.PatientClient(record.PatientId);
        using var otherPatient = app.PatientClient(Guid.CreateVersion7());
        using var admin = app.AdminClient();
        using var organization = app.OrganizationClient(clinic);
        foreach (var client in new[] { patient, otherPatient, admin, organization })
        {
            await ShouldSeeNothingAsync(client, record, HttpStatusCode.Forbidden);
        }

        // A doctor is not the patient: the patient's own routes refuse the token.
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), clinic);
        foreach (var route in new[] { "/api/v1/records/history", $"/api/v1/records/items/{record.Visit.Id}" })
        {
            using var response = await doctor.GetAsync(route);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("Приём врача-терапевта");
        }

        // A doctor's token without an organization opens nothing.
        using var orphan = app.CreateClient(app.Issuer.CreateToken(Guid.CreateVersion7().ToString(), ["doctor"], ["health"]));
        await ShouldSeeNothingAsync(orphan, record, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_item_of_another_patient_is_not_found_through_this_patients_route()
    {
        var clinic = Guid.CreateVersion7();
        var mine = await PatientWithRecordAsync(clinic);
        var theirs = await PatientWithRecordAsync(clinic);
        await app.AttachAsync(mine.PatientId, clinic);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), clinic);

        foreach (var route in new[]
                 {
                     $"/api/v1/records/patients/{mine.PatientId}/items/{theirs.Visit.Id}",
                     $"/api/v1/records/patients/{mine.PatientId}/items/{theirs.Visit.Id}/document",
                 })
        {
            using var response = await doctor.GetAsync(route);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("Приём врача-терапевта");
        }
        (await app.AccessEventsAsync(theirs.PatientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_declared_purpose_is_logged_and_bad_filters_are_named()
    {
        var clinic = Guid.CreateVersion7();
        var record = await PatientWithRecordAsync(clinic);
        await app.AttachAsync(record.PatientId, clinic);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), clinic);
        doctor.DefaultRequestHeaders.Add("X-Access-Purpose", "подготовка к плановой госпитализации");

        (await doctor.GetAsync(Routes(record)[0] + "?kind=visit")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.AccessEventsAsync(record.PatientId)).ShouldHaveSingleItem().Purpose.ShouldBe("подготовка к плановой госпитализации");

        using var bad = await doctor.GetAsync(Routes(record)[0] + "?from=вчера&limit=1000&kind=x-ray");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await ReadObjectAsync(bad))["errors"]!.AsObject();
        errors.Select(e => e.Key).Order().ShouldBe(["from", "kind", "limit"]);
    }
}
