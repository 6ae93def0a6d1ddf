using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.Records.Tests.Reading;

/// <summary>Who may read what of a patient's record through the patient's endpoints.</summary>
[Collection(RecordsCollection.Name)]
public sealed class ReadingAccessTests(RecordsApp app)
{
    private static readonly DateTimeOffset At = new(2024, 9, 3, 7, 0, 0, TimeSpan.Zero);

    private sealed record Record(Guid PatientId, TestItem Visit, TestItem Result, TestItem HivTest, TestItem Protocol);

    /// <summary>A visit, a lab result, an HIV test (lab results + hiv) and a protocol with a PDF, with recognisable texts.</summary>
    private async Task<Record> SeedAsync()
    {
        var patientId = ReadingSupport.NewPatient();
        var visit = TestRecords.Visit(patientId, At.AddDays(-3), title: "Приём врача-психиатра", diagnosisCode: "F32.1",
            sections: [RecordSections.Visits, RecordSections.Psychiatry]);
        var result = TestRecords.LabResult(patientId, At.AddDays(-2), title: "Биохимический анализ крови");
        var hivTest = TestRecords.Item(patientId, "lab_result", "DiagnosticReport", At.AddDays(-1), null, "doc-1",
            "Исследование на антитела к ВИЧ", RecordDetails.Serialize(new ResultDetails("laboratory", "7918-6", "Секретное заключение", null, At)),
            [RecordSections.LabResults, RecordSections.Hiv], ["Z21"]);
        var protocol = ReadingSupport.Protocol(patientId, At, hasDocument: true, title: "Протокол осмотра невролога");
        await app.SaveAsync([visit, result, hivTest, protocol],
        [
            TestRecords.Value(result, "2345-7", "Глюкоза", 7.77m, "ммоль/л", 3.9m, 6.1m),
            TestRecords.Value(hivTest, "7918-6", "Антитела к ВИЧ", 4.44m, "S/CO", null, 1m),
        ]);
        await app.SaveDocumentAsync(TestRecords.Pdf(protocol, "Секретный протокол"));
        return new Record(patientId, visit, result, hivTest, protocol);
    }

    private static string[] Secrets(Record r) =>
    [
        r.Visit.Id.ToString(), r.Result.Id.ToString(), r.HivTest.Id.ToString(), r.Protocol.Id.ToString(),
        "психиатр", "Биохимический", "ВИЧ", "невролог", "7.77", "4.44", "Секретн", "Глюкоза", "PDF-1.4",
    ];

    /// <summary>Every endpoint of the patient's API that takes an id (or a code) of the patient's data.</summary>
    private static IEnumerable<(string Method, string Url)> IdEndpoints(Record r) =>
    [
        ("GET", $"/api/v1/records/items/{r.Visit.Id}"),
        ("GET", $"/api/v1/records/items/{r.Result.Id}"),
        ("GET", $"/api/v1/records/items/{r.HivTest.Id}"),
        ("GET", $"/api/v1/records/items/{r.Result.Id}/versions/1"),
        ("GET", $"/api/v1/records/items/{r.Protocol.Id}"),
        ("GET", $"/api/v1/records/items/{r.Protocol.Id}/versions/1"),
        ("GET", $"/api/v1/records/items/{r.Protocol.Id}/document"),
        ("GET", "/api/v1/records/analytes/2345-7/trend"),
        ("GET", "/api/v1/records/analytes/7918-6/trend"),
    ];

    [Fact]
    public async Task Another_patients_token_finds_none_of_the_ids()
    {
        var record = await SeedAsync();
        var stranger = app.PatientClient(ReadingSupport.NewPatient());

        foreach (var (method, url) in IdEndpoints(record))
        {
            var response = await stranger.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            await response.ShouldRevealNothingAsync(Secrets(record));
        }
        (await app.AccessEventsAsync(record.PatientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Doctor_and_admin_tokens_are_refused_every_patient_endpoint_without_data()
    {
        var record = await SeedAsync();
        // Even with the patient's own id as their subject: the role decides.
        var clients = new[]
        {
            app.DoctorClient(Guid.CreateVersion7(), TestRecords.DefaultOrganization),
            app.DoctorClient(record.PatientId, TestRecords.DefaultOrganization),
            app.AdminClient(),
            app.AdminClient(record.PatientId),
        };
        var endpoints = IdEndpoints(record).Concat([("GET", "/api/v1/records/history"), ("GET", "/api/v1/records/analytes")]);

        foreach (var client in clients)
        {
            foreach (var (method, url) in endpoints)
            {
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
                response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
                await response.ShouldRevealNothingAsync(Secrets(record));
            }
        }
    }

    [Fact]
    public async Task Without_a_token_nothing_is_served()
    {
        var record = await SeedAsync();
        var anonymous = app.CreateClient();

        foreach (var (method, url) in IdEndpoints(record))
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            await response.ShouldRevealNothingAsync(Secrets(record));
        }
    }

    [Fact]
    public async Task A_limited_delegation_sees_only_lab_results_it_may_open()
    {
        var record = await SeedAsync();
        var limited = app.RepresentativeClient(record.PatientId, limited: true);

        var history = await (await limited.GetAsync("/api/v1/records/history")).ReadAsync<HistoryPage>();
        history.Items.Select(i => i.Id).ShouldBe([record.Result.Id]);
        (await (await limited.GetAsync("/api/v1/records/history?kind=visit")).ReadAsync<HistoryPage>()).Items.ShouldBeEmpty();

        (await (await limited.GetAsync($"/api/v1/records/items/{record.Result.Id}")).ReadAsync<ItemResponse>())
            .Observations.ShouldHaveSingleItem().Value.ShouldBe(7.77m);
        (await limited.GetAsync("/api/v1/records/analytes/2345-7/trend")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var analytes = await (await limited.GetAsync("/api/v1/records/analytes")).ReadAsync<AnalyteList>();
        analytes.Items.Select(a => a.Code).ShouldBe(["2345-7"]);
        // The HIV test's values are in lab results too, but the hiv section is not delegated.
        (await limited.GetAsync("/api/v1/records/analytes/7918-6/trend")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_limited_delegation_is_refused_other_sections_and_the_refusal_is_logged()
    {
        var record = await SeedAsync();
        var limited = app.RepresentativeClient(record.PatientId, limited: true);
        var refusedUrls = new[]
        {
            $"/api/v1/records/items/{record.Visit.Id}",
            $"/api/v1/records/items/{record.HivTest.Id}",
            $"/api/v1/records/items/{record.Protocol.Id}/versions/1",
            $"/api/v1/records/items/{record.Protocol.Id}/document",
        };

        foreach (var url in refusedUrls)
        {
            var response = await limited.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
            using var problem = JsonDocument.Parse(body);
            problem.RootElement.GetProperty("reason").GetString().ShouldBe(AccessProblems.SectionNotDelegatedReason);
            await response.ShouldRevealNothingAsync(Secrets(record));
        }

        var access = await app.AccessEventsAsync(record.PatientId);
        var refusals = access.Where(a => a.Outcome == AccessOutcomes.Refused).ToList();
        refusals.Count.ShouldBe(4);
        refusals.ShouldAllBe(a => a.ActorRole == AccessActorRoles.Representative && a.DelegationId != null);
        refusals.Select(a => a.ItemId).ShouldBe([record.Visit.Id, record.HivTest.Id, record.Protocol.Id, record.Protocol.Id]);
        refusals.Select(a => a.Section).ShouldBe([RecordSections.Visits, RecordSections.Hiv, RecordSections.Visits, RecordSections.Visits]);
    }

    [Fact]
    public async Task A_whole_record_delegation_reads_everything_and_is_logged_as_the_representative()
    {
        var record = await SeedAsync();
        var representative = app.RepresentativeClient(record.PatientId, limited: false);

        var history = await (await representative.GetAsync("/api/v1/records/history")).ReadAsync<HistoryPage>();
        history.Items.Count.ShouldBe(4);
        (await representative.GetAsync($"/api/v1/records/items/{record.HivTest.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await representative.GetAsync($"/api/v1/records/items/{record.Protocol.Id}/document")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var access = await app.AccessEventsAsync(record.PatientId);
        access.Count.ShouldBe(3);
        access.ShouldAllBe(a => a.ActorRole == AccessActorRoles.Representative && a.Outcome == AccessOutcomes.Allowed);
        access.Select(a => a.Section).ShouldBe([HistoryApi.HistorySection, RecordSections.LabResults, RecordSections.Visits]);
    }
}
