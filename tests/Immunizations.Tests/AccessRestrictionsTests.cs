using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// Immunizations keeps the patients' access restrictions from identity's events (ServiceDefaults' Consents) and can
/// answer whether an organization may see a section. Organizations do not read records through this service yet:
/// enforcing it on their reads arrives with the records issue.
/// </summary>
[Collection(ImmunizationsCollection.Name)]
public sealed class AccessRestrictionsTests(ImmunizationsApp app)
{
    private static readonly Guid Clinic = Guid.CreateVersion7();
    private static readonly Guid OtherClinic = Guid.CreateVersion7();

    [Fact]
    public async Task A_restriction_arrives_over_the_broker_applies_and_is_lifted()
    {
        var patient = Guid.CreateVersion7();
        var restriction = Guid.CreateVersion7();
        var added = DateTimeOffset.UtcNow;
        await app.Bus.Publish(new AccessRestrictionChanged(restriction, patient, "organization", Clinic, null, true, added));
        await WaitForStateAsync(restriction, active: true);

        await app.WithDbAsync(async db =>
        {
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Immunizations)).ShouldBeTrue();
            (await db.IsRestrictedAsync(patient, Clinic, null)).ShouldBeTrue();
            (await db.IsRestrictedAsync(patient, OtherClinic, RecordSections.Immunizations)).ShouldBeFalse();
            (await db.IsRestrictedAsync(Guid.CreateVersion7(), Clinic, RecordSections.Immunizations)).ShouldBeFalse();
        });

        await app.Bus.Publish(new AccessRestrictionChanged(restriction, patient, "organization", Clinic, null, false, added.AddSeconds(1)));
        await WaitForStateAsync(restriction, active: false);
        await app.WithDbAsync(async db => (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Immunizations)).ShouldBeFalse());
    }

    [Fact]
    public async Task A_hidden_section_is_hidden_from_every_organization_but_the_author_and_other_sections_stay_open()
    {
        var patient = Guid.CreateVersion7();
        var restriction = Guid.CreateVersion7();
        await app.Bus.Publish(new AccessRestrictionChanged(restriction, patient, "section", null, RecordSections.Psychiatry, true, DateTimeOffset.UtcNow));
        await WaitForStateAsync(restriction, active: true);

        await app.WithDbAsync(async db =>
        {
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Psychiatry)).ShouldBeTrue();
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Psychiatry, writtenBy: OtherClinic)).ShouldBeTrue();
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Psychiatry, writtenBy: Clinic)).ShouldBeFalse();
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Immunizations)).ShouldBeFalse();
            (await db.IsRestrictedAsync(patient, Clinic, null)).ShouldBeFalse();
        });
    }

    [Fact]
    public async Task An_organization_refused_one_section_still_sees_the_others()
    {
        var patient = Guid.CreateVersion7();
        var restriction = Guid.CreateVersion7();
        await app.Bus.Publish(new AccessRestrictionChanged(restriction, patient, "organization", Clinic, RecordSections.Immunizations, true, DateTimeOffset.UtcNow));
        await WaitForStateAsync(restriction, active: true);

        await app.WithDbAsync(async db =>
        {
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Immunizations)).ShouldBeTrue();
            (await db.IsRestrictedAsync(patient, Clinic, RecordSections.LabResults)).ShouldBeFalse();
            (await db.IsRestrictedAsync(patient, OtherClinic, RecordSections.Immunizations)).ShouldBeFalse();
        });
    }

    [Fact]
    public async Task A_redelivery_changes_nothing_and_a_late_older_change_does_not_undo_a_newer_one()
    {
        var patient = Guid.CreateVersion7();
        var restriction = Guid.CreateVersion7();
        var added = DateTimeOffset.UtcNow.AddMinutes(-1);
        var lift = new AccessRestrictionChanged(restriction, patient, "organization", Clinic, null, false, added.AddSeconds(30));
        var messageId = Guid.CreateVersion7();

        // The lift overtakes the addition on the way.
        await app.Bus.Publish(lift, c => c.MessageId = messageId);
        await WaitForStateAsync(restriction, active: false);
        var lateId = Guid.CreateVersion7();
        await app.Bus.Publish(new AccessRestrictionChanged(restriction, patient, "organization", Clinic, null, true, added),
            c => c.MessageId = lateId);
        await app.Bus.Publish(lift, c => c.MessageId = messageId);

        await Json.WaitForAsync(async () => await app.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == lateId))
            ? (object)true : null, what: "the late message processed");
        await Task.Delay(500); // the redelivered lift, had it any effect, would show by now

        var rows = await app.WithDbAsync(db => db.Set<PatientAccessRestriction>().AsNoTracking().Where(r => r.PatientId == patient).ToListAsync());
        rows.ShouldHaveSingleItem().Active.ShouldBeFalse();
        (await app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId))).ShouldBe(1);
        await app.WithDbAsync(async db => (await db.IsRestrictedAsync(patient, Clinic, RecordSections.Immunizations)).ShouldBeFalse());
    }

    private Task WaitForStateAsync(Guid restrictionId, bool active) =>
        Json.WaitForAsync(() => app.WithDbAsync(db => db.Set<PatientAccessRestriction>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.RestrictionId == restrictionId && r.Active == active)), what: $"restriction {restrictionId} active={active}");
}
