using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// A plan item is done when the vaccination is recorded, and otherwise reminded once (a VaccinationDue in the outbox)
/// when it draws near, however many instances sweep. Items here are due weeks ahead and the sweep is run with a
/// "now" close to them, so the service's own background sweep (real time) never takes them first.
/// </summary>
[Collection(ImmunizationsCollection.Name)]
public sealed class VaccinationDueTests(ImmunizationsApp app)
{
    private const string Route = VaccinationPlanTests.Route;
    private static readonly string DueType = typeof(VaccinationDue).FullName!;
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Noon in Moscow on <paramref name="date"/>.</summary>
    private static FakeTimeProvider At(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(3)).ToUniversalTime());

    private async Task<int> SweepAsync(IServiceProvider services, TimeProvider time, int batchSize = 100)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImmunizationsDb>();
        return await VaccinationDueReminders.SweepAsync(db, time, leadDays: 7, batchSize: batchSize);
    }

    private static async Task<Guid> PublishAsync(HttpClient organization, string externalId, System.Text.Json.Nodes.JsonObject body)
    {
        using var response = await organization.PutAsJsonAsync($"{Route}/{externalId}", body);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task Recording_the_vaccination_marks_the_item_done_in_the_same_commit_and_it_is_never_reminded()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var dueOn = Today.AddDays(20);
        var planId = await PublishAsync(organization, VaccinationPlanTests.NewExternalId(),
            VaccinationPlanTests.PlanBody(snils, dueOn, "covid-19", stage: "V1"));
        // A later stage of the same disease stays planned: one vaccination fulfils one item.
        var nextId = await PublishAsync(organization, VaccinationPlanTests.NewExternalId(),
            VaccinationPlanTests.PlanBody(snils, Today.AddDays(25), "COVID-19", stage: "V2"));

        var body = RecordImmunizationTests.ValidBody(snils);
        body["administeredOn"] = Today.AddDays(-1).ToString("yyyy-MM-dd");
        using var recorded = await organization.PostAsJsonAsync("/api/v1/immunizations", body);
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var immunizationId = (await recorded.ReadObjectAsync())["id"]!.GetValue<Guid>();

        var (plan, next, immunization) = await app.WithDbAsync(async db => (
            await db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == planId),
            await db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == nextId),
            await db.Immunizations.AsNoTracking().SingleAsync(i => i.Id == immunizationId)));
        plan.DoneByImmunizationId.ShouldBe(immunizationId);
        // Stamped with the recording's own instant: written by the same request, in its SaveChanges.
        plan.DoneAt.ShouldBe(immunization.RecordedAt);
        next.DoneAt.ShouldBeNull();

        (await SweepAsync(app.Factory.Services, At(dueOn))).ShouldBeGreaterThanOrEqualTo(0);
        var reminders = (await app.OutboxPayloadsAsync(DueType, patientId))
            .Select(p => p.Deserialize<VaccinationDue>(Json.Web)!).ToList();
        reminders.ShouldNotContain(r => r.DueOn == dueOn);
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == planId)))
            .NotifiedAt.ShouldBeNull();

        using var patient = app.PatientClient(patientId);
        var items = (await (await patient.GetAsync("/api/v1/immunizations/plan")).ReadObjectAsync())["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([nextId]);

        // A done item is not changed or cancelled any more; its resend is still answered.
        using var cancel = await organization.DeleteAsync($"{Route}/{plan.ExternalId}");
        cancel.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await cancel.ReadObjectAsync())["reason"]!.GetValue<string>().ShouldBe("already_done");
    }

    [Fact]
    public async Task An_item_published_after_its_vaccination_was_recorded_is_done_at_once()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        using var recorded = await organization.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await organization.PutAsJsonAsync($"{Route}/{VaccinationPlanTests.NewExternalId()}",
            VaccinationPlanTests.PlanBody(snils, Today.AddDays(10), "COVID-19"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.ReadObjectAsync())["status"]!.GetValue<string>().ShouldBe("done");
    }

    [Fact]
    public async Task The_sweep_reminds_of_an_item_due_within_the_lead_days_once_and_again_only_for_a_new_date()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var dueOn = Today.AddDays(60);
        var externalId = VaccinationPlanTests.NewExternalId();
        var planId = await PublishAsync(organization, externalId,
            VaccinationPlanTests.PlanBody(snils, dueOn, "Клещевой энцефалит", "Клещ-Э-Вак", "R1"));
        await PublishAsync(organization, VaccinationPlanTests.NewExternalId(),
            VaccinationPlanTests.PlanBody(snils, Today.AddDays(70), "Гепатит B", null, null));
        var cancelled = VaccinationPlanTests.NewExternalId();
        await PublishAsync(organization, cancelled, VaccinationPlanTests.PlanBody(snils, Today.AddDays(58), "Грипп"));
        (await organization.DeleteAsync($"{Route}/{cancelled}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var now = At(Today.AddDays(55));

        (await SweepAsync(app.Factory.Services, now)).ShouldBeGreaterThanOrEqualTo(1);

        var reminder = (await app.OutboxPayloadsAsync(DueType, patientId)).ShouldHaveSingleItem()
            .Deserialize<VaccinationDue>(Json.Web)!;
        reminder.PatientId.ShouldBe(patientId);
        reminder.Disease.ShouldBe("Клещевой энцефалит");
        reminder.VaccineName.ShouldBe("Клещ-Э-Вак");
        reminder.DueOn.ShouldBe(dueOn);
        reminder.OccurredAt.ShouldBe(now.GetUtcNow());
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == planId)))
            .NotifiedAt.ShouldBe(now.GetUtcNow());

        // The next run, and a run a day later, remind of nothing new.
        await SweepAsync(app.Factory.Services, now);
        now.Advance(TimeSpan.FromDays(1));
        await SweepAsync(app.Factory.Services, now);
        (await app.OutboxPayloadsAsync(DueType, patientId)).Count.ShouldBe(1);

        // The doctor moves the date: that is a new reminder when the new date draws near, not before.
        var moved = VaccinationPlanTests.PlanBody(snils, Today.AddDays(80), "Клещевой энцефалит", "Клещ-Э-Вак", "R1");
        await PublishAsync(organization, externalId, moved);
        await SweepAsync(app.Factory.Services, now);
        (await app.OutboxPayloadsAsync(DueType, patientId)).Count.ShouldBe(1);
        await SweepAsync(app.Factory.Services, At(Today.AddDays(75)));
        var all = (await app.OutboxPayloadsAsync(DueType, patientId)).Select(p => p.Deserialize<VaccinationDue>(Json.Web)!).ToList();
        all.Select(r => r.DueOn).Order().ShouldBe([dueOn, Today.AddDays(70), Today.AddDays(80)]);
    }

    [Fact]
    public async Task Two_instances_sweeping_at_once_remind_of_each_item_exactly_once()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var dueDates = Enumerable.Range(0, 6).Select(i => Today.AddDays(90 + i)).ToList();
        foreach (var dueOn in dueDates)
        {
            await PublishAsync(organization, VaccinationPlanTests.NewExternalId(),
                VaccinationPlanTests.PlanBody(snils, dueOn, "Дифтерия, столбняк", "АДС-М", null));
        }

        await using var second = await app.StartAnotherInstanceAsync();
        var now = At(Today.AddDays(90));

        // Small batches from both instances, side by side, until neither finds anything left.
        int queued;
        var total = 0;
        do
        {
            var results = await Task.WhenAll(
                Enumerable.Range(0, 4).Select(i => SweepAsync(i % 2 == 0 ? app.Factory.Services : second.Services, now, batchSize: 2)));
            queued = results.Sum();
            total += queued;
        }
        while (queued > 0);

        var reminders = (await app.OutboxPayloadsAsync(DueType, patientId))
            .Select(p => p.Deserialize<VaccinationDue>(Json.Web)!).ToList();
        reminders.Select(r => r.DueOn).Order().ShouldBe(dueDates);
        total.ShouldBeGreaterThanOrEqualTo(dueDates.Count);
        (await app.WithDbAsync(db => db.VaccinationPlans.CountAsync(p => p.PatientId == patientId && p.NotifiedAt == null)))
            .ShouldBe(0);
    }
}
