using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Ingestion;

/// <summary>Resends, corrections (new versions with a reason), concurrent duplicates and organizations' own items.</summary>
[Collection(RecordsCollection.Name)]
public sealed class FhirCorrectionTests(RecordsApp app)
{
    private const string CorrectionReasonPath =
        "extension.where(url='" + FhirSamples.CorrectionReasonExtension + "').valueString";

    [Fact]
    public async Task The_same_resource_sent_again_changes_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var report = FhirSamples.LabReportNode(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(4));

        using var first = await client.PostFhirAsync("DiagnosticReport", report);
        var created = await first.JsonObjectAsync(HttpStatusCode.Created);
        var before = await app.StoredForAsync(patientId);

        // The same content in another layout: properties reordered, numbers written differently.
        var resent = JsonNode.Parse(report.ToJsonString())!.AsObject();
        resent["contained"]![0]!["valueQuantity"]!["value"] = JsonValue.Create(135.00m);
        var conclusion = resent["conclusion"]!.GetValue<string>();
        resent.Remove("conclusion");
        resent["conclusion"] = conclusion;
        using var second = await client.PostFhirAsync("DiagnosticReport", resent);
        var repeated = await second.JsonObjectAsync(HttpStatusCode.OK);

        repeated["id"]!.GetValue<Guid>().ShouldBe(created["id"]!.GetValue<Guid>());
        repeated["version"]!.GetValue<int>().ShouldBe(1);
        repeated["observationCount"]!.GetValue<int>().ShouldBe(2);
        (await app.StoredForAsync(patientId)).ShouldBe(before);
        before.ShouldBe(new IngestionSupport.StoredCounts(1, 1, 2, 0, 2));
    }

    [Fact]
    public async Task A_correction_adds_a_version_and_retires_the_old_one_with_its_values()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId);
        var externalId = IngestionSupport.NewExternalId("lab");
        var takenAt = IngestionSupport.HoursAgo(6);

        using var first = await client.PostFhirAsync("DiagnosticReport", FhirSamples.LabReport(snils, externalId, takenAt,
            ("718-7", "Гемоглобин", 95m, "г/л", 120m, 160m)));
        var original = await first.JsonObjectAsync(HttpStatusCode.Created);
        var originalId = original["id"]!.GetValue<Guid>();

        var corrected = FhirSamples.LabReportNode(snils, externalId, takenAt, ("718-7", "Гемоглобин", 135m, "г/л", 120m, 160m))
            .WithCorrectionReason("Ошибка ввода значения гемоглобина");
        using var second = await client.PostFhirAsync("DiagnosticReport", corrected);
        var correction = await second.JsonObjectAsync(HttpStatusCode.Created);
        var correctionId = correction["id"]!.GetValue<Guid>();
        correctionId.ShouldNotBe(originalId);
        correction["recordId"]!.GetValue<Guid>().ShouldBe(original["recordId"]!.GetValue<Guid>());
        correction["version"]!.GetValue<int>().ShouldBe(2);
        correction["correctionReason"]!.GetValue<string>().ShouldBe("Ошибка ввода значения гемоглобина");
        second.Headers.Location!.ToString().ShouldBe($"/api/v1/records/items/{correctionId}");

        var (items, observations) = await app.WithDbAsync(async db => (
            await db.Items.AsNoTracking().Where(i => i.PatientId == patientId).OrderBy(i => i.Version).ToListAsync(),
            await db.Observations.AsNoTracking().Where(o => o.PatientId == patientId).ToListAsync()));
        items.Count.ShouldBe(2);
        items[0].Id.ShouldBe(originalId);
        items[0].IsCurrent.ShouldBeFalse();
        items[0].SupersededAt.ShouldNotBeNull();
        items[1].IsCurrent.ShouldBeTrue();
        items[1].CorrectsItemId.ShouldBe(originalId);
        var cipher = await app.CipherAsync(patientId);
        cipher.OpenTextOrNull(items[1].CorrectionReason).ShouldBe("Ошибка ввода значения гемоглобина");
        items[1].SubmittedBy.ShouldBe($"client-{organizationId:N}");
        observations.Single(o => o.ItemId == originalId).ShouldSatisfyAllConditions(
            o => o.IsCurrent.ShouldBeFalse(), o => ObservationContent.Open(cipher, o.Content).Value.ShouldBe(95m), o => o.Interpretation.ShouldBe(Interpretations.Low));
        observations.Single(o => o.ItemId == correctionId).ShouldSatisfyAllConditions(
            o => o.IsCurrent.ShouldBeTrue(), o => ObservationContent.Open(cipher, o.Content).Value.ShouldBe(135m), o => o.Interpretation.ShouldBe(Interpretations.Normal));

        var published = await app.OutboxOfAsync<MedicalRecordItemPublished>(patientId);
        published.Select(p => (p.ItemId, p.Version, p.AbnormalCount)).ShouldBe([(originalId, 1, 1), (correctionId, 2, 0)]);
        (await app.OutboxOfAsync<PatientDataAccessed>(patientId)).Select(a => a.Action)
            .ShouldBe([AccessActions.Create, AccessActions.Change]);

        // The organization reads back what it published: the current version and both versions with who and why.
        using var read = await client.GetAsync($"{IngestionSupport.FhirRoute}DiagnosticReport/{externalId}");
        var view = await read.JsonObjectAsync(HttpStatusCode.OK);
        view["current"]!["id"]!.GetValue<Guid>().ShouldBe(correctionId);
        view["observations"]![0]!["value"]!.GetValue<decimal>().ShouldBe(135m);
        var versions = view["versions"]!.AsArray();
        versions.Count.ShouldBe(2);
        versions[0]!["isCurrent"]!.GetValue<bool>().ShouldBeFalse();
        versions[1]!["correctionReason"]!.GetValue<string>().ShouldBe("Ошибка ввода значения гемоглобина");
        versions[1]!["submittedBy"]!.GetValue<string>().ShouldBe($"client-{organizationId:N}");
    }

    [Fact]
    public async Task A_correction_without_a_reason_is_refused_and_changes_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var externalId = IngestionSupport.NewExternalId("enc");
        var start = IngestionSupport.HoursAgo(3);
        using (var first = await client.PostFhirAsync("Encounter", FhirSamples.Encounter(snils, externalId, start)))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        var before = await app.StoredForAsync(patientId);

        using var response = await client.PostFhirAsync("Encounter",
            FhirSamples.Encounter(snils, externalId, start, diagnosisCode: "J20.9", diagnosisName: "Острый бронхит"));
        var errors = await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity);
        errors.Keys.ShouldBe(["Encounter." + CorrectionReasonPath]);
        (await app.StoredForAsync(patientId)).ShouldBe(before);
    }

    [Fact]
    public async Task A_correction_may_not_move_the_item_to_another_patient()
    {
        var (firstPatient, firstSnils) = await app.AddKnownPatientAsync();
        var (secondPatient, secondSnils) = await app.AddKnownPatientAsync("Кузнецов", "Олег", null);
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var externalId = IngestionSupport.NewExternalId("enc");
        var start = IngestionSupport.HoursAgo(3);
        using (var first = await client.PostFhirAsync("Encounter", FhirSamples.Encounter(firstSnils, externalId, start)))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var response = await client.PostFhirAsync("Encounter",
            FhirSamples.Encounter(secondSnils, externalId, start, correctionReason: "Не тот пациент"));
        (await response.FhirErrorsAsync(HttpStatusCode.UnprocessableEntity)).Keys.ShouldBe(["Encounter.subject.identifier.value"]);
        (await app.StoredForAsync(secondPatient)).ShouldBe(new IngestionSupport.StoredCounts(0, 0, 0, 0, 0));
        (await app.StoredForAsync(firstPatient)).CurrentItems.ShouldBe(1);
    }

    [Fact]
    public async Task Organizations_see_and_correct_only_their_own_items()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var owner = app.OrganizationClient(Guid.CreateVersion7());
        using var other = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Областная больница»");
        var externalId = IngestionSupport.NewExternalId("comp");
        var date = IngestionSupport.HoursAgo(8);
        using (var first = await owner.PostFhirAsync("Composition", FhirSamples.Composition(snils, externalId, date)))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using (var read = await other.GetAsync($"{IngestionSupport.FhirRoute}Composition/{externalId}"))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await read.Content.ReadAsStringAsync()).ShouldNotContain(snils);
        }
        using (var own = await owner.GetAsync($"{IngestionSupport.FhirRoute}Composition/{externalId}"))
        {
            own.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The same external id from another organization is another item, not a correction of the first.
        using var response = await other.PostFhirAsync("Composition",
            FhirSamples.Composition(snils, externalId, date, diagnosisCode: "I11.9", correctionReason: "Попытка исправить чужое"));
        var body = await response.JsonObjectAsync(HttpStatusCode.Created);
        body["version"]!.GetValue<int>().ShouldBe(1);
        body["correctionReason"].ShouldBeNull();
        var items = await app.WithDbAsync(db => db.Items.AsNoTracking().Where(i => i.PatientId == patientId).ToListAsync());
        items.Count.ShouldBe(2);
        items.ShouldAllBe(i => i.IsCurrent && i.Version == 1);
        items.Select(i => i.RecordId).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_duplicates_make_one_item()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var json = FhirSamples.LabReport(snils, IngestionSupport.NewExternalId("lab"), IngestionSupport.HoursAgo(2));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostFhirAsync("DiagnosticReport", json)));
        try
        {
            var statuses = string.Join(", ", await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}")));
            responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1, statuses);
            responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(5);
            var ids = new HashSet<Guid>();
            foreach (var r in responses) ids.Add((await r.JsonObjectAsync(r.StatusCode))["id"]!.GetValue<Guid>());
            ids.Count.ShouldBe(1);
        }
        finally
        {
            foreach (var r in responses) r.Dispose();
        }
        (await app.StoredForAsync(patientId)).ShouldBe(new IngestionSupport.StoredCounts(1, 1, 2, 0, 2));
    }
}
