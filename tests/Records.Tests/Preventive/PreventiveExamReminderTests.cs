using System.Net;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.Records.Ingestion;
using Gosuslugi.Health.Records.Preventive;
using Gosuslugi.Health.Records.Tests.Ingestion;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gosuslugi.Health.Records.Tests.Preventive;

/// <summary>
/// A planned preventive exam is reminded once (a PreventiveExamDue in the outbox) when its date is a week away; done or
/// cancelled ones never. Dates lie years ahead so the service's own sweeper (real clock) never claims them.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class PreventiveExamReminderTests(RecordsApp app)
{
    private static readonly string DueType = typeof(PreventiveExamDue).FullName!;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>A random far-future planned date, so tests do not share a sweep window by accident.</summary>
    private static DateOnly FarDate() => new DateOnly(2031, 1, 1).AddDays(Random.Shared.Next(0, 3000));

    /// <summary>Noon in Moscow on <paramref name="date"/>.</summary>
    private static FakeTimeProvider At(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), Moscow).ToUniversalTime());

    private static TestItem Exam(Guid patientId, DateOnly plannedOn, string status = "active", string examStatus = "planned",
        Guid? recordId = null, int version = 1, bool current = true) => new()
    {
        RecordId = recordId ?? Guid.CreateVersion7(),
        Version = version,
        IsCurrent = current,
        PatientId = patientId,
        OrganizationId = TestRecords.DefaultOrganization,
        OrganizationName = "ГБУЗ «Городская поликлиника № 1»",
        ExternalId = "cp-" + Guid.CreateVersion7().ToString("N"),
        Kind = RecordItemKinds.PreventiveExam,
        ResourceType = "CarePlan",
        Status = status,
        Title = "Диспансеризация, 1 этап",
        EffectiveAt = new DateTimeOffset(plannedOn.ToDateTime(new TimeOnly(9, 0)), Moscow).ToUniversalTime(),
        Sections = [],
        Details = RecordDetails.Serialize(new PreventiveExamDetails(CarePlanMapping.Dispanserization, 1, examStatus,
            plannedOn, null, null, [], null)),
        ContentHash = new string('0', 64),
        SubmittedBy = "test-client",
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private async Task<int> SweepAsync(TimeProvider time, IServiceProvider? services = null)
    {
        await using var scope = (services ?? app.Factory.Services).CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecordsDb>();
        return await PreventiveExamReminders.SweepAsync(db, scope.ServiceProvider.GetRequiredService<PatientDataKeys<RecordsDb>>(), time, leadDays: 7);
    }

    private async Task<List<PreventiveExamDue>> RemindersAsync(Guid patientId) =>
        (await app.OutboxPayloadsAsync(DueType, patientId)).Select(p => p.Deserialize<PreventiveExamDue>(Web)!).ToList();

    [Fact]
    public async Task A_planned_exam_is_reminded_once_a_week_ahead_and_not_again()
    {
        var patientId = Guid.CreateVersion7();
        var plannedOn = FarDate();
        var exam = Exam(patientId, plannedOn);
        await app.SaveAsync([exam]);

        await SweepAsync(At(plannedOn.AddDays(-8)));
        (await RemindersAsync(patientId)).ShouldBeEmpty();

        await SweepAsync(At(plannedOn.AddDays(-7)));
        await SweepAsync(At(plannedOn.AddDays(-6)));

        var due = (await RemindersAsync(patientId)).ShouldHaveSingleItem();
        due.ItemId.ShouldBe(exam.Id);
        due.Program.ShouldBe("dispanserization");
        due.Stage.ShouldBe(1);
        due.OrganizationName.ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        due.DueOn.ShouldBe(plannedOn);
    }

    [Fact]
    public async Task Two_concurrent_sweeps_remind_once()
    {
        var patientId = Guid.CreateVersion7();
        var plannedOn = FarDate();
        await app.SaveAsync([Exam(patientId, plannedOn)]);
        var time = At(plannedOn.AddDays(-3));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SweepAsync(time))));

        (await RemindersAsync(patientId)).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("completed", "done")]
    [InlineData("revoked", "cancelled")]
    [InlineData("active", "in_progress")]
    public async Task A_done_cancelled_or_started_exam_is_not_reminded(string status, string examStatus)
    {
        var patientId = Guid.CreateVersion7();
        var plannedOn = FarDate();
        await app.SaveAsync([Exam(patientId, plannedOn, status, examStatus)]);

        await SweepAsync(At(plannedOn.AddDays(-2)));

        (await RemindersAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_past_date_is_not_reminded()
    {
        var patientId = Guid.CreateVersion7();
        var plannedOn = FarDate();
        await app.SaveAsync([Exam(patientId, plannedOn)]);

        await SweepAsync(At(plannedOn.AddDays(1)));

        (await RemindersAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_version_is_reminded_again_only_when_the_date_moved()
    {
        var patientId = Guid.CreateVersion7();
        var plannedOn = FarDate();
        var first = Exam(patientId, plannedOn);
        await app.SaveAsync([first]);
        await SweepAsync(At(plannedOn.AddDays(-5)));

        // A correction keeping the date: nothing new for the patient.
        await app.WithDbAsync(async db =>
        {
            var old = await db.Items.FindAsync(first.Id);
            old!.IsCurrent = false;
            await db.SaveChangesAsync();
        });
        var sameDate = Exam(patientId, plannedOn, recordId: first.RecordId, version: 2);
        await app.SaveAsync([sameDate]);
        await SweepAsync(At(plannedOn.AddDays(-4)));
        (await RemindersAsync(patientId)).Count.ShouldBe(1);

        // A correction moving the date: reminded of the new date.
        await app.WithDbAsync(async db =>
        {
            var old = await db.Items.FindAsync(sameDate.Id);
            old!.IsCurrent = false;
            await db.SaveChangesAsync();
        });
        var moved = Exam(patientId, plannedOn.AddDays(2), recordId: first.RecordId, version: 3);
        await app.SaveAsync([moved]);
        await SweepAsync(At(plannedOn.AddDays(-3)));

        var all = await RemindersAsync(patientId);
        all.Count.ShouldBe(2);
        all[1].ItemId.ShouldBe(moved.Id);
        all[1].DueOn.ShouldBe(plannedOn.AddDays(2));
    }

    [Fact]
    public async Task An_ingested_draft_care_plan_is_reminded_with_its_program_stage_and_organization()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 7»");
        var plannedOn = FarDate();
        using var planned = await client.PostFhirAsync("CarePlan",
            FhirSamples.CarePlan(snils, IngestionSupport.NewExternalId("disp"), plannedOn, status: "draft", healthGroup: null));
        var plannedId = (await planned.JsonObjectAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        await SweepAsync(At(plannedOn.AddDays(-7)));

        var due = (await RemindersAsync(patientId)).ShouldHaveSingleItem();
        due.ItemId.ShouldBe(plannedId);
        due.Program.ShouldBe(PreventivePrograms.Dispanserization);
        due.Stage.ShouldBe(1);
        due.OrganizationName.ShouldBe("ГБУЗ «Городская поликлиника № 7»");
        due.DueOn.ShouldBe(plannedOn);
    }
}
