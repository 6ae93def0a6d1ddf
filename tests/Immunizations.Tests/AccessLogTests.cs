using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// Every read of a patient's vaccinations and every vaccination an organization records is told to Audit: a
/// <see cref="PatientDataAccessed"/> in the outbox, committed with the read's or the change's transaction.
/// </summary>
[Collection(ImmunizationsCollection.Name)]
public sealed class AccessLogTests(ImmunizationsApp app)
{
    [Fact]
    public async Task Recording_a_vaccination_logs_a_create_by_the_organization_in_the_same_SaveChanges()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var organization = app.OrganizationClient(organizationId, "ГБУЗ «Детская поликлиника № 7»");
        var body = RecordImmunizationTests.ValidBody(snils, "audit-" + Guid.NewGuid().ToString("N"));
        app.SaveChanges.Inserts.Clear();

        using var response = await organization.PostAsJsonAsync("/api/v1/immunizations", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
        // The vaccination, its ImmunizationRecorded and the access event: one transaction.
        app.SaveChanges.Inserts.ShouldContain(types =>
            types.Contains(typeof(Immunization)) && types.Count(t => t == typeof(OutboxMessage)) == 2);

        var access = (await AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.Service.ShouldBe("immunizations");
        access.Section.ShouldBe(RecordSections.Immunizations);
        access.Action.ShouldBe(AccessActions.Create);
        access.Outcome.ShouldBe(AccessOutcomes.Allowed);
        access.ItemId.ShouldBe(id);
        access.ActorRole.ShouldBe(AccessActorRoles.MedicalOrganization);
        access.OrganizationId.ShouldBe(organizationId);
        access.OrganizationName.ShouldBe("ГБУЗ «Детская поликлиника № 7»");
        access.Purpose.ShouldBe("внесение сведений о вакцинации");

        // A repeat of the same submission writes nothing, so it logs nothing either.
        using var repeat = await organization.PostAsJsonAsync("/api/v1/immunizations", body);
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccessEventsAsync(patientId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_patient_reading_the_list_and_an_item_logs_two_reads()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await RecordAsync(snils);
        var before = (await AccessEventsAsync(patientId)).Count;
        using var patient = app.PatientClient(patientId);

        (await patient.GetAsync("/api/v1/immunizations")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await patient.GetAsync($"/api/v1/immunizations/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reads = (await AccessEventsAsync(patientId)).Skip(before).ToList();
        reads.Count.ShouldBe(2);
        reads.ShouldAllBe(r => r.Action == AccessActions.Read && r.Section == RecordSections.Immunizations
            && r.Outcome == AccessOutcomes.Allowed && r.ActorRole == AccessActorRoles.Patient && r.ActorId == patientId
            && r.Purpose == "просмотр прививок");
        reads[0].ItemId.ShouldBeNull();
        reads[1].ItemId.ShouldBe(id);
    }

    [Fact]
    public async Task A_declared_purpose_is_logged_instead_of_the_implied_one()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        using var patient = app.PatientClient(patientId);
        patient.DefaultRequestHeaders.Add("X-Access-Purpose", "подготовка к поездке");

        (await patient.GetAsync("/api/v1/immunizations")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await AccessEventsAsync(patientId)).ShouldHaveSingleItem().Purpose.ShouldBe("подготовка к поездке");
    }

    [Fact]
    public async Task Another_patients_item_logs_nothing_in_either_record_and_a_limited_representative_is_logged_as_refused()
    {
        var (ownerId, snils) = await app.AddKnownPatientAsync();
        var id = await RecordAsync(snils);
        var ownerEvents = (await AccessEventsAsync(ownerId)).Count;
        var strangerId = Guid.CreateVersion7();
        using var stranger = app.PatientClient(strangerId);

        using var foreign = await stranger.GetAsync($"/api/v1/immunizations/{id}");

        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await foreign.Content.ReadAsStringAsync()).ShouldNotContain(ownerId.ToString());
        (await AccessEventsAsync(ownerId)).Count.ShouldBe(ownerEvents);
        (await AccessEventsAsync(strangerId)).ShouldBeEmpty();

        // A representative whose delegation covers only prescriptions and lab results.
        var representativeId = Guid.CreateVersion7();
        var delegationId = Guid.CreateVersion7();
        using var representative = app.CreateClient(app.Issuer.CreateDelegatedToken(ownerId, representativeId, delegationId,
            scope: "health.delegated.limited"));

        (await representative.GetAsync("/api/v1/immunizations")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var refused = (await AccessEventsAsync(ownerId)).Skip(ownerEvents).ShouldHaveSingleItem();
        refused.Outcome.ShouldBe(AccessOutcomes.Refused);
        refused.ActorRole.ShouldBe(AccessActorRoles.Representative);
        refused.ActorId.ShouldBe(representativeId);
        refused.DelegationId.ShouldBe(delegationId);
    }

    private async Task<Guid> RecordAsync(string snils)
    {
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        using var response = await organization.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    /// <summary>The patient's access events in the outbox, oldest first.</summary>
    private async Task<List<PatientDataAccessed>> AccessEventsAsync(Guid patientId)
    {
        var rows = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(PatientDataAccessed).FullName)
            .OrderBy(m => m.Id)
            .Select(m => m.Payload)
            .ToListAsync());
        return rows.Select(p => JsonSerializer.Deserialize<PatientDataAccessed>(p, Json.Web)!)
            .Where(e => e.PatientId == patientId)
            .OrderBy(e => e.OccurredAt)
            .ToList();
    }
}
