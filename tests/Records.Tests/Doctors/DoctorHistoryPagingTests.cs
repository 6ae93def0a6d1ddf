using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Domain;
using static Gosuslugi.Health.Records.Tests.Doctors.CareTestSupport;

namespace Gosuslugi.Health.Records.Tests.Doctors;

/// <summary>
/// What the patient hid from a doctor's organization is left out of the history in the query itself: however many
/// hidden items lie between visible ones, every page but the last is full and the pages cover exactly the visible items.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class DoctorHistoryPagingTests(RecordsApp app)
{
    [Fact]
    public async Task Pages_stay_full_and_cover_exactly_the_visible_items_across_long_runs_of_hidden_ones()
    {
        var clinic = Guid.CreateVersion7();
        var hospital = Guid.CreateVersion7();
        var patientId = Guid.CreateVersion7();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var at = start;
        DateTimeOffset Earlier() => at = at.AddHours(-1);

        // Visible to the clinic: its own items (its own psychiatry too: the author keeps seeing it) and the hospital's
        // ordinary ones. Hidden: the hospital's psychiatry, in runs longer than a page many times over.
        var visible = new List<TestItem>();
        var hidden = new List<TestItem>();
        void Visible(TestItem item) => visible.Add(item);
        void HiddenRun(int count)
        {
            for (var n = 0; n < count; n++)
            {
                hidden.Add(TestRecords.Visit(patientId, Earlier(), hospital, title: $"Консультация психиатра (больница) {hidden.Count + 1}",
                    diagnosisCode: "F41.1", sections: [RecordSections.Visits, RecordSections.Psychiatry]));
            }
        }

        Visible(TestRecords.Visit(patientId, Earlier(), clinic, title: "Видимая 1"));
        Visible(TestRecords.LabResult(patientId, Earlier(), hospital, title: "Видимая 2"));
        HiddenRun(25);
        Visible(TestRecords.Visit(patientId, Earlier(), clinic, title: "Видимая 3", diagnosisCode: "F32.1",
            sections: [RecordSections.Visits, RecordSections.Psychiatry]));
        Visible(TestRecords.Visit(patientId, Earlier(), hospital, title: "Видимая 4"));
        HiddenRun(25);
        Visible(TestRecords.Visit(patientId, Earlier(), clinic, title: "Видимая 5"));
        HiddenRun(3);
        Visible(TestRecords.Visit(patientId, Earlier(), hospital, title: "Видимая 6"));
        Visible(TestRecords.Visit(patientId, Earlier(), clinic, title: "Видимая 7"));
        HiddenRun(10);
        await app.SaveAsync([.. visible, .. hidden]);
        await app.AttachAsync(patientId, clinic);
        await app.RestrictAsync(patientId, SectionKind, null, RecordSections.Psychiatry);
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), clinic);

        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var route = $"/api/v1/records/patients/{patientId}/history?limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            using var response = await doctor.GetAsync(route);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            text.ShouldNotContain("больница");
            var body = JsonNode.Parse(text)!.AsObject();
            pages.Add(body["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList());
            cursor = body["nextCursor"]?.GetValue<string>();
            pages.Count.ShouldBeLessThanOrEqualTo(4, "paging must end once the visible items are through");
        }
        while (cursor is not null);

        pages.Select(p => p.Count).ShouldBe([2, 2, 2, 1]);
        pages.SelectMany(p => p).ShouldBe(visible.Select(v => v.Title));

        // One read per page, no refusal: a list leaves hidden items out without touching them.
        var events = await app.AccessEventsAsync(patientId);
        events.Count.ShouldBe(4);
        events.ShouldAllBe(e => e.Outcome == AccessOutcomes.Allowed && e.OrganizationId == clinic);
    }
}
