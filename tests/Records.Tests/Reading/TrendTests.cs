using System.Net;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Tests.Reading;

[Collection(RecordsCollection.Name)]
public sealed class TrendTests(RecordsApp app)
{
    private static readonly DateTimeOffset Start = new(2016, 2, 1, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Hemoglobin once a year for ten years (120, 122, ... 138), a corrected-away value, and glucose twice.</summary>
    private async Task<(Guid PatientId, List<TestItem> Results)> SeedAsync()
    {
        var patientId = ReadingSupport.NewPatient();
        var results = Enumerable.Range(0, 10).Select(n => TestRecords.LabResult(patientId, Start.AddYears(n))).ToList();
        var observations = results.Select((r, n) => TestRecords.Value(r, "718-7", "Гемоглобин", 120m + 2 * n, "г/л", 120m, 160m)).ToList();
        observations.Add(TestRecords.Value(results[8], "2345-7", "Глюкоза", 5.2m, "ммоль/л", 3.9m, 6.1m, position: 1));
        observations.Add(TestRecords.Value(results[9], "2345-7", "Глюкоза", 6.5m, "ммоль/л", 3.9m, 6.1m, position: 1));
        // A superseded result's value is no longer part of any series.
        var superseded = TestRecords.LabResult(patientId, Start.AddYears(5).AddDays(10));
        superseded.IsCurrent = false;
        var oldValue = TestRecords.Value(superseded, "718-7", "Гемоглобин", 999m, "г/л", 120m, 160m);
        oldValue.IsCurrent = false;
        observations.Add(oldValue);
        await app.SaveAsync([.. results, superseded], observations);
        return (patientId, results);
    }

    [Fact]
    public async Task A_trend_is_the_analytes_series_oldest_first_with_the_latest_compared_to_the_previous()
    {
        var (patientId, results) = await SeedAsync();

        var trend = await (await app.PatientClient(patientId).GetAsync("/api/v1/records/analytes/718-7/trend")).ReadAsync<TrendResponse>();

        trend.Code.ShouldBe("718-7");
        trend.Name.ShouldBe("Гемоглобин");
        trend.Unit.ShouldBe("г/л");
        trend.Points.Select(p => p.Value).ShouldBe(Enumerable.Range(0, 10).Select(n => (decimal?)(120m + 2 * n)).ToList());
        trend.Points.Select(p => p.ItemId).ShouldBe(results.Select(r => r.Id).ToList());
        trend.Points[0].ReferenceLow.ShouldBe(120m);
        trend.Points[0].ReferenceHigh.ShouldBe(160m);
        trend.Points[0].Interpretation.ShouldBe(Interpretations.Normal);
        trend.Latest!.Value.ShouldBe(138m);
        trend.Previous!.Value.ShouldBe(136m);
        var change = trend.Change.ShouldNotBeNull();
        change.Absolute.ShouldBe(2m);
        change.Percent.ShouldBe(1.5m);
        change.Direction.ShouldBe(TrendChange.Up);

        var access = (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.Section.ShouldBe(RecordSections.LabResults);
        access.Action.ShouldBe(AccessActions.Read);
    }

    [Fact]
    public async Task A_period_narrows_the_series_in_Moscow_days()
    {
        var (patientId, _) = await SeedAsync();
        var client = app.PatientClient(patientId);

        var trend = await (await client.GetAsync("/api/v1/records/analytes/718-7/trend?from=2019-02-01&to=2021-02-01")).ReadAsync<TrendResponse>();
        trend.Points.Select(p => p.Value).ShouldBe([126m, 128m, 130m]);
        trend.Previous!.Value.ShouldBe(128m);

        var glucose = await (await client.GetAsync("/api/v1/records/analytes/2345-7/trend")).ReadAsync<TrendResponse>();
        glucose.Points.Count.ShouldBe(2);
        glucose.Change!.Direction.ShouldBe(TrendChange.Up);

        var empty = await (await client.GetAsync("/api/v1/records/analytes/718-7/trend?from=2010-01-01&to=2010-12-31")).ReadAsync<TrendResponse>();
        empty.Points.ShouldBeEmpty();
        empty.Name.ShouldBe("Гемоглобин");
        empty.Latest.ShouldBeNull();
        empty.Change.ShouldBeNull();
    }

    [Fact]
    public async Task A_decrease_and_a_single_value_are_compared_sensibly()
    {
        var patientId = ReadingSupport.NewPatient();
        var first = TestRecords.LabResult(patientId, Start);
        var second = TestRecords.LabResult(patientId, Start.AddMonths(3));
        var lone = TestRecords.LabResult(patientId, Start.AddMonths(4));
        await app.SaveAsync([first, second, lone],
        [
            TestRecords.Value(first, "2093-3", "Холестерин общий", 6.4m, "ммоль/л", null, 5.2m),
            TestRecords.Value(second, "2093-3", "Холестерин общий", 4.8m, "ммоль/л", null, 5.2m),
            TestRecords.Value(lone, "1988-5", "С-реактивный белок", 3m, "мг/л", null, 5m),
        ]);
        var client = app.PatientClient(patientId);

        var cholesterol = await (await client.GetAsync("/api/v1/records/analytes/2093-3/trend")).ReadAsync<TrendResponse>();
        cholesterol.Change!.Absolute.ShouldBe(-1.6m);
        cholesterol.Change.Percent.ShouldBe(-25.0m);
        cholesterol.Change.Direction.ShouldBe(TrendChange.Down);

        var crp = await (await client.GetAsync("/api/v1/records/analytes/1988-5/trend")).ReadAsync<TrendResponse>();
        crp.Latest!.Value.ShouldBe(3m);
        crp.Previous.ShouldBeNull();
        crp.Change.ShouldBeNull();
    }

    [Fact]
    public async Task Unknown_analytes_are_not_found_and_bad_periods_are_refused()
    {
        var (patientId, _) = await SeedAsync();
        var client = app.PatientClient(patientId);

        (await client.GetAsync("/api/v1/records/analytes/0000-0/trend")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await client.GetAsync("/api/v1/records/analytes/718-7/trend?from=2024-05-01&to=2024-04-01")).ValidationErrorsAsync())
            .Keys.ShouldContain("from");
        (await (await client.GetAsync("/api/v1/records/analytes/718-7/trend?to=вчера")).ValidationErrorsAsync())
            .Keys.ShouldContain("to");
        (await (await client.GetAsync($"/api/v1/records/analytes/{new string('7', 65)}/trend")).ValidationErrorsAsync())
            .Keys.ShouldContain("code");
    }

    [Fact]
    public async Task Analytes_lists_each_analyte_with_its_count_and_latest_value()
    {
        var (patientId, results) = await SeedAsync();

        var analytes = await (await app.PatientClient(patientId).GetAsync("/api/v1/records/analytes")).ReadAsync<AnalyteList>();

        analytes.Items.Select(a => a.Code).ShouldBe(["718-7", "2345-7"]);
        var hemoglobin = analytes.Items[0];
        hemoglobin.Name.ShouldBe("Гемоглобин");
        hemoglobin.Unit.ShouldBe("г/л");
        hemoglobin.Count.ShouldBe(10);
        hemoglobin.LastValue.ShouldBe(138m);
        hemoglobin.LastTakenAt.ShouldBe(results[9].EffectiveAt);
        hemoglobin.LastItemId.ShouldBe(results[9].Id);
        var glucose = analytes.Items[1];
        glucose.Count.ShouldBe(2);
        glucose.LastValue.ShouldBe(6.5m);
        glucose.LastInterpretation.ShouldBe(Interpretations.High);

        (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem().Section.ShouldBe(RecordSections.LabResults);
    }

    [Fact]
    public async Task A_patient_without_results_has_no_analytes()
    {
        var analytes = await (await app.PatientClient(ReadingSupport.NewPatient()).GetAsync("/api/v1/records/analytes")).ReadAsync<AnalyteList>();
        analytes.Items.ShouldBeEmpty();
    }
}
