using System.Net;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Tests.Reading;

[Collection(RecordsCollection.Name)]
public sealed class HistoryTests(RecordsApp app)
{
    private static readonly DateTimeOffset Base = new(2024, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private async Task<HistoryPage> GetAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/v1/records/history" + query)).ReadAsync<HistoryPage>();

    [Fact]
    public async Task History_lists_current_items_newest_first_with_their_summary()
    {
        var patientId = ReadingSupport.NewPatient();
        var visit = TestRecords.Visit(patientId, Base.AddDays(-2));
        var result = TestRecords.LabResult(patientId, Base);
        var protocol = ReadingSupport.Protocol(patientId, Base.AddDays(-1), hasDocument: true);
        await app.SaveAsync([visit, result, protocol],
        [
            TestRecords.Value(result, "718-7", "Гемоглобин", 110m, "г/л", 120m, 160m, position: 0),
            TestRecords.Value(result, "6690-2", "Лейкоциты", 12.5m, "10*9/л", 4m, 9m, position: 1),
            TestRecords.Value(result, "777-3", "Тромбоциты", 250m, "10*9/л", 150m, 400m, position: 2),
        ]);

        var page = await GetAsync(app.PatientClient(patientId));

        page.Items.Select(i => i.Id).ShouldBe([result.Id, protocol.Id, visit.Id]);
        page.NextCursor.ShouldBeNull();
        var lab = page.Items[0];
        lab.Kind.ShouldBe(RecordItemKinds.LabResult);
        lab.Title.ShouldBe("Общий анализ крови");
        lab.AbnormalCount.ShouldBe(2);
        lab.Organization.Id.ShouldBe(TestRecords.DefaultOrganization);
        lab.Organization.Name.ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        lab.Doctor.ShouldNotBeNull().Name.ShouldBe("Иванова Мария Петровна");
        lab.Doctor.Specialty.ShouldBe("Терапевт");
        lab.Corrected.ShouldBeFalse();
        page.Items[1].HasDocument.ShouldBeTrue();
        page.Items[1].AbnormalCount.ShouldBeNull();
        page.Items[2].AbnormalCount.ShouldBeNull();
    }

    [Fact]
    public async Task Date_range_is_in_Moscow_calendar_days_with_both_ends_included()
    {
        var patientId = ReadingSupport.NewPatient();
        // 2024-03-15 in Moscow runs from 2024-03-14T21:00Z to 2024-03-15T20:59:59.999999Z.
        var lastOf14th = TestRecords.Visit(patientId, new DateTimeOffset(2024, 3, 14, 20, 59, 59, TimeSpan.Zero));
        var firstOf15th = TestRecords.Visit(patientId, new DateTimeOffset(2024, 3, 14, 21, 0, 0, TimeSpan.Zero));
        var lastOf15th = TestRecords.Visit(patientId, new DateTimeOffset(2024, 3, 15, 20, 59, 59, TimeSpan.Zero));
        var firstOf16th = TestRecords.Visit(patientId, new DateTimeOffset(2024, 3, 15, 21, 0, 0, TimeSpan.Zero));
        await app.SaveAsync([lastOf14th, firstOf15th, lastOf15th, firstOf16th]);
        var client = app.PatientClient(patientId);

        (await GetAsync(client, "?from=2024-03-15&to=2024-03-15")).Items.Select(i => i.Id).ShouldBe([lastOf15th.Id, firstOf15th.Id]);
        (await GetAsync(client, "?from=2024-03-15")).Items.Select(i => i.Id).ShouldBe([firstOf16th.Id, lastOf15th.Id, firstOf15th.Id]);
        (await GetAsync(client, "?to=2024-03-14")).Items.Select(i => i.Id).ShouldBe([lastOf14th.Id]);
        (await GetAsync(client, "?from=2024-03-16&to=2024-03-20")).Items.Select(i => i.Id).ShouldBe([firstOf16th.Id]);
    }

    [Fact]
    public async Task Filters_by_kind_organization_and_doctor_alone_and_combined()
    {
        var patientId = ReadingSupport.NewPatient();
        var otherOrganization = Guid.CreateVersion7();
        var visitHere = TestRecords.Visit(patientId, Base.AddDays(-5), doctorId: "doc-1");
        var visitThere = TestRecords.Visit(patientId, Base.AddDays(-4), organizationId: otherOrganization, doctorId: "doc-9");
        var labHere = TestRecords.LabResult(patientId, Base.AddDays(-3), doctorId: "doc-9");
        var labThere = TestRecords.LabResult(patientId, Base.AddDays(-2), organizationId: otherOrganization, doctorId: "doc-9");
        var protocol = ReadingSupport.Protocol(patientId, Base.AddDays(-1), hasDocument: false);
        await app.SaveAsync([visitHere, visitThere, labHere, labThere, protocol]);
        var client = app.PatientClient(patientId);

        (await GetAsync(client, "?kind=lab_result")).Items.Select(i => i.Id).ShouldBe([labThere.Id, labHere.Id]);
        (await GetAsync(client, "?kind=visit&kind=protocol")).Items.Select(i => i.Id).ShouldBe([protocol.Id, visitThere.Id, visitHere.Id]);
        (await GetAsync(client, "?kind=visit,protocol")).Items.Count.ShouldBe(3);
        (await GetAsync(client, $"?organizationId={otherOrganization}")).Items.Select(i => i.Id).ShouldBe([labThere.Id, visitThere.Id]);
        (await GetAsync(client, "?doctorId=doc-9")).Items.Select(i => i.Id).ShouldBe([labThere.Id, labHere.Id, visitThere.Id]);
        (await GetAsync(client, $"?doctorId=doc-9&kind=lab_result&organizationId={otherOrganization}")).Items.Select(i => i.Id)
            .ShouldBe([labThere.Id]);
        var moscowDay = Base.AddDays(-3).ToOffset(ReadingSupport.Moscow).ToString("yyyy-MM-dd");
        (await GetAsync(client, $"?doctorId=doc-9&from={moscowDay}&to={moscowDay}")).Items.Select(i => i.Id).ShouldBe([labHere.Id]);
        (await GetAsync(client, "?kind=discharge")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Paging_with_the_cursor_returns_every_item_once_even_when_items_arrive_meanwhile()
    {
        var patientId = ReadingSupport.NewPatient();
        // Pairs share an instant, so the id breaks ties.
        var items = Enumerable.Range(0, 45).Select(n => TestRecords.Visit(patientId, Base.AddHours(-(n / 2)))).ToList();
        await app.SaveAsync(items);
        var expected = items.OrderByDescending(i => i.EffectiveAt).ThenByDescending(i => i.Id, new PostgresUuidOrder()).Select(i => i.Id).ToList();
        var client = app.PatientClient(patientId);

        var seen = new List<Guid>();
        var first = await GetAsync(client, "?limit=10");
        first.Items.Count.ShouldBe(10);
        seen.AddRange(first.Items.Select(i => i.Id));
        // A newer item arriving between pages must not shift the next ones.
        await app.SaveAsync([TestRecords.Visit(patientId, Base.AddDays(1))]);

        var cursor = first.NextCursor.ShouldNotBeNull();
        var pages = 1;
        while (cursor is not null)
        {
            var page = await GetAsync(client, $"?limit=10&cursor={cursor}");
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
            pages.ShouldBeLessThan(10);
        }

        pages.ShouldBe(5);
        seen.ShouldBe(expected);
        (await GetAsync(client, "?limit=100")).Items.Count.ShouldBe(46);
        (await GetAsync(client)).Items.Count.ShouldBe(RecordReads.DefaultLimit);
    }

    [Fact]
    public async Task Last_full_page_has_no_cursor()
    {
        var patientId = ReadingSupport.NewPatient();
        await app.SaveAsync(Enumerable.Range(0, 4).Select(n => TestRecords.Visit(patientId, Base.AddDays(-n))));
        var client = app.PatientClient(patientId);

        var first = await GetAsync(client, "?limit=2");
        var second = await GetAsync(client, $"?limit=2&cursor={first.NextCursor}");

        second.Items.Count.ShouldBe(2);
        second.NextCursor.ShouldBeNull();
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?from=2024-13-01", "from")]
    [InlineData("?from=15.03.2024", "from")]
    [InlineData("?to=2024-02-30", "to")]
    [InlineData("?from=2024-03-02&to=2024-03-01", "from")]
    [InlineData("?kind=x-ray", "kind")]
    [InlineData("?kind=visit&kind=gossip", "kind")]
    [InlineData("?organizationId=polyclinic-1", "organizationId")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    public async Task Bad_parameters_are_a_validation_problem_naming_the_parameter(string query, string field)
    {
        var response = await app.PatientClient(ReadingSupport.NewPatient()).GetAsync("/api/v1/records/history" + query);

        var errors = await response.ValidationErrorsAsync();
        errors.Keys.ShouldContain(field);
        errors[field].ShouldAllBe(m => m.Length > 0);
    }

    [Fact]
    public async Task Superseded_versions_leave_the_history_and_the_current_one_is_marked_corrected()
    {
        var patientId = ReadingSupport.NewPatient();
        var first = TestRecords.Visit(patientId, Base, title: "Приём терапевта");
        var second = ReadingSupport.CorrectionOf(first, "Приём врача-терапевта участкового", "Уточнено название приёма");
        await app.SaveAsync([first, second]);

        var page = await GetAsync(app.PatientClient(patientId));

        var entry = page.Items.ShouldHaveSingleItem();
        entry.Id.ShouldBe(second.Id);
        entry.RecordId.ShouldBe(first.RecordId);
        entry.Version.ShouldBe(2);
        entry.Corrected.ShouldBeTrue();
        entry.Title.ShouldBe("Приём врача-терапевта участкового");
    }

    [Fact]
    public async Task Reading_the_history_is_logged_for_the_patient()
    {
        var patientId = ReadingSupport.NewPatient();
        await app.SaveAsync([TestRecords.Visit(patientId, Base)]);

        (await app.PatientClient(patientId).GetAsync("/api/v1/records/history")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var access = (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.Section.ShouldBe(HistoryApi.HistorySection);
        access.Action.ShouldBe(AccessActions.Read);
        access.Outcome.ShouldBe(AccessOutcomes.Allowed);
        access.ActorRole.ShouldBe(AccessActorRoles.Patient);
        access.ActorId.ShouldBe(patientId);
        access.Purpose.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Another_patient_sees_only_their_own_history()
    {
        var patientId = ReadingSupport.NewPatient();
        var visit = TestRecords.Visit(patientId, Base, title: "Приём врача-онколога");
        await app.SaveAsync([visit]);

        var response = await app.PatientClient(ReadingSupport.NewPatient()).GetAsync("/api/v1/records/history");

        (await response.ReadAsync<HistoryPage>()).Items.ShouldBeEmpty();
        await response.ShouldRevealNothingAsync(visit.Id.ToString(), "онколог");
    }

    [Fact]
    public async Task Doctors_and_admins_cannot_use_the_patients_history()
    {
        var patientId = ReadingSupport.NewPatient();
        await app.SaveAsync([TestRecords.Visit(patientId, Base, title: "Приём врача-онколога")]);

        foreach (var client in new[] { app.DoctorClient(patientId, TestRecords.DefaultOrganization), app.AdminClient(patientId) })
        {
            var response = await client.GetAsync("/api/v1/records/history");
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            await response.ShouldRevealNothingAsync("онколог");
        }
    }

    /// <summary>PostgreSQL orders uuids by their bytes in RFC order (as written), unlike Guid.CompareTo.</summary>
    private sealed class PostgresUuidOrder : IComparer<Guid>
    {
        public int Compare(Guid x, Guid y) => string.CompareOrdinal(x.ToString("N"), y.ToString("N"));
    }
}
