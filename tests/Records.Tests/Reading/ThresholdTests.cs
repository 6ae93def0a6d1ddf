using System.Net;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Events;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Reading;

[Collection(RecordsCollection.Name)]
public sealed class ThresholdTests(RecordsApp app)
{
    private const string Glucose = "/api/v1/records/thresholds/2345-7";

    [Fact]
    public async Task A_patient_sets_reads_changes_and_removes_a_threshold()
    {
        var patientId = ReadingSupport.NewPatient();
        var client = app.PatientClient(patientId);

        var saved = await (await client.PutJsonAsync(Glucose, """{"low": 3.9, "high": 6.1}""")).ReadAsync<ThresholdResponse>();
        saved.Code.ShouldBe("2345-7");
        saved.Low.ShouldBe(3.9m);
        saved.High.ShouldBe(6.1m);

        var read = await (await client.GetAsync(Glucose)).ReadAsync<ThresholdResponse>();
        read.Low.ShouldBe(3.9m);
        read.High.ShouldBe(6.1m);

        var changed = await (await client.PutJsonAsync(Glucose, """{"high": 7}""")).ReadAsync<ThresholdResponse>();
        changed.Low.ShouldBeNull();
        changed.High.ShouldBe(7m);
        await client.PutJsonAsync("/api/v1/records/thresholds/718-7", """{"low": 110}""");

        var all = await (await client.GetAsync("/api/v1/records/thresholds")).ReadAsync<ThresholdList>();
        all.Items.Select(t => (t.Code, t.Low, t.High)).ShouldBe([("2345-7", null, 7m), ("718-7", 110m, null)]);

        (await client.DeleteAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.DeleteAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var access = await app.AccessEventsAsync(patientId);
        access.ShouldAllBe(a => a.Section == RecordSections.LabResults && a.Outcome == AccessOutcomes.Allowed);
        access.Select(a => a.Action).ShouldBe([AccessActions.Change, AccessActions.Read, AccessActions.Change, AccessActions.Change,
            AccessActions.Read, AccessActions.Change]);
    }

    [Theory]
    [InlineData("{}", "low")]
    [InlineData("""{"low": null, "high": null}""", "high")]
    [InlineData("""{"low": 6.1, "high": 3.9}""", "low")]
    [InlineData("""{"low": 5, "high": 5}""", "low")]
    [InlineData("""{"low": "3.9"}""", "low")]
    [InlineData("""{"high": true}""", "high")]
    [InlineData("""{"high": 1e20}""", "high")]
    [InlineData("""{"low": 0.0000001}""", "low")]
    [InlineData("[3.9, 6.1]", "body")]
    [InlineData("low=3.9", "body")]
    public async Task Invalid_thresholds_are_refused_naming_the_field_and_nothing_is_saved(string body, string field)
    {
        var patientId = ReadingSupport.NewPatient();

        var errors = await (await app.PatientClient(patientId).PutJsonAsync(Glucose, body)).ValidationErrorsAsync();

        errors.Keys.ShouldContain(field);
        (await app.WithDbAsync(db => db.Thresholds.AnyAsync(t => t.PatientId == patientId))).ShouldBeFalse();
        (await app.AccessEventsAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_code_longer_than_the_limit_is_refused()
    {
        var errors = await (await app.PatientClient(ReadingSupport.NewPatient())
            .PutJsonAsync($"/api/v1/records/thresholds/{new string('1', 65)}", """{"low": 1}""")).ValidationErrorsAsync();
        errors.Keys.ShouldContain("code");
    }

    [Fact]
    public async Task A_representative_with_the_whole_record_may_set_thresholds_a_limited_one_only_read_them()
    {
        var patientId = ReadingSupport.NewPatient();
        (await app.RepresentativeClient(patientId, limited: false).PutJsonAsync(Glucose, """{"high": 6.1}"""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var limited = app.RepresentativeClient(patientId, limited: true);

        (await limited.GetAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await limited.PutJsonAsync(Glucose, """{"high": 99}""");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await limited.DeleteAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var threshold = await app.WithDbAsync(db => db.Thresholds.SingleAsync(t => t.PatientId == patientId));
        threshold.High.ShouldBe(6.1m);
        var access = await app.AccessEventsAsync(patientId);
        access.Count(a => a.Action == AccessActions.Change && a.Outcome == AccessOutcomes.Refused).ShouldBe(2);
        access.ShouldAllBe(a => a.ActorRole == AccessActorRoles.Representative && a.DelegationId != null);
    }

    [Fact]
    public async Task Another_patient_cannot_read_or_remove_someones_threshold_and_doctors_and_admins_are_refused()
    {
        var patientId = ReadingSupport.NewPatient();
        await app.PatientClient(patientId).PutJsonAsync(Glucose, """{"low": 3.3, "high": 7.7}""");

        var stranger = app.PatientClient(ReadingSupport.NewPatient());
        var read = await stranger.GetAsync(Glucose);
        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await read.ShouldRevealNothingAsync("3.3", "7.7");
        (await stranger.DeleteAsync(Glucose)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await stranger.GetAsync("/api/v1/records/thresholds")).ReadAsync<ThresholdList>()).Items.ShouldBeEmpty();

        foreach (var client in new[] { app.DoctorClient(patientId, TestRecords.DefaultOrganization), app.AdminClient(patientId) })
        {
            foreach (var response in new[]
            {
                await client.GetAsync(Glucose), await client.GetAsync("/api/v1/records/thresholds"),
                await client.PutJsonAsync(Glucose, """{"low": 1}"""), await client.DeleteAsync(Glucose),
            })
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
                await response.ShouldRevealNothingAsync("3.3", "7.7");
            }
        }

        var threshold = await app.WithDbAsync(db => db.Thresholds.SingleAsync(t => t.PatientId == patientId));
        (threshold.Low, threshold.High).ShouldBe((3.3m, 7.7m));
    }

    [Fact]
    public async Task A_new_result_beyond_a_threshold_is_announced_once()
    {
        var patientId = ReadingSupport.NewPatient();
        var client = app.PatientClient(patientId);
        await client.PutJsonAsync(Glucose, """{"low": 3.9, "high": 6.1}""");
        await client.PutJsonAsync("/api/v1/records/thresholds/718-7", """{"low": 120}""");
        await client.PutJsonAsync("/api/v1/records/thresholds/777-3", """{"low": 150, "high": 400}""");
        var result = TestRecords.LabResult(patientId, new DateTimeOffset(2025, 1, 15, 5, 0, 0, TimeSpan.Zero));
        await app.SaveAsync([result],
        [
            TestRecords.Value(result, "2345-7", "Глюкоза", 7.2m, "ммоль/л", 3.9m, 6.1m, position: 0),
            TestRecords.Value(result, "718-7", "Гемоглобин", 112m, "г/л", 120m, 160m, position: 1),
            TestRecords.Value(result, "777-3", "Тромбоциты", 400m, "10*9/л", 150m, 400m, position: 2),
            TestRecords.Value(result, "6690-2", "Лейкоциты", 30m, "10*9/л", 4m, 9m, position: 3),
        ]);

        var published = Published(result);
        var messageId = Guid.CreateVersion7();
        await app.Bus.Publish(published, c => c.MessageId = messageId);
        await app.Bus.Publish(published, c => c.MessageId = messageId);
        await ReadingSupport.EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>()
            .AnyAsync(m => m.MessageId == messageId && m.Consumer == ThresholdCrossingConsumer.EndpointName)), "the result to be checked");

        var crossings = await app.OutboxEventsAsync<LabThresholdCrossed>(patientId);
        crossings.Count.ShouldBe(2);
        var glucose = crossings.Single(c => c.AnalyteCode == "2345-7");
        (glucose.Value, glucose.Threshold, glucose.Direction).ShouldBe((7.2m, 6.1m, ThresholdCrossingConsumer.Above));
        glucose.AnalyteName.ShouldBe("Глюкоза");
        glucose.Unit.ShouldBe("ммоль/л");
        glucose.ItemId.ShouldBe(result.Id);
        glucose.TakenAt.ShouldBe(result.EffectiveAt);
        var hemoglobin = crossings.Single(c => c.AnalyteCode == "718-7");
        (hemoglobin.Value, hemoglobin.Threshold, hemoglobin.Direction).ShouldBe((112m, 120m, ThresholdCrossingConsumer.Below));
    }

    [Fact]
    public async Task Results_within_thresholds_and_other_kinds_announce_nothing()
    {
        var patientId = ReadingSupport.NewPatient();
        await app.PatientClient(patientId).PutJsonAsync(Glucose, """{"high": 6.1}""");
        var normal = TestRecords.LabResult(patientId, DateTimeOffset.UtcNow.AddDays(-1));
        var visit = TestRecords.Visit(patientId, DateTimeOffset.UtcNow.AddDays(-1));
        await app.SaveAsync([normal, visit], [TestRecords.Value(normal, "2345-7", "Глюкоза", 6.1m, "ммоль/л", 3.9m, 6.1m)]);

        foreach (var item in new[] { normal, visit })
        {
            var messageId = Guid.CreateVersion7();
            await app.Bus.Publish(Published(item), c => c.MessageId = messageId);
            await ReadingSupport.EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>()
                .AnyAsync(m => m.MessageId == messageId && m.Consumer == ThresholdCrossingConsumer.EndpointName)), "the item to be checked");
        }

        (await app.OutboxEventsAsync<LabThresholdCrossed>(patientId)).ShouldBeEmpty();
    }

    private static MedicalRecordItemPublished Published(TestItem item) => new(
        item.Id, item.RecordId, item.PatientId, item.OrganizationId, item.OrganizationName, item.Kind, item.Title, item.Version,
        item.Sections, item.EffectiveAt, 0, item.HasDocument, DateTimeOffset.UtcNow);
}
