using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Events;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class IdentityConsumersTests(AppointmentsApp app)
{
    [Fact]
    public async Task Identitys_events_fill_the_known_patient_in_any_order()
    {
        var patientId = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;
        var snils = TestSnils.Next();

        // The policy arrives before the registration: each part is kept on its own.
        await app.Bus.Publish(new OmsPolicyChanged(patientId, new DateOnly(2020, 1, 1), new DateOnly(2030, 12, 31), at.AddMinutes(2)));
        await app.Bus.Publish(new PatientRegistered(patientId, snils, "Смирнов", "Алексей", "Викторович", new DateOnly(1990, 2, 3), at));
        await app.Bus.Publish(new AccountLevelChanged(patientId, "confirmed", at.AddMinutes(1)));

        var patient = await WaitForPatientAsync(patientId,
            p => p.RegisteredAt is not null && p.AccountLevel is not null && p.OmsValidFrom is not null);
        patient.Snils.ShouldBe(snils);
        patient.FullName.ShouldBe("Смирнов Алексей Викторович");
        patient.BirthDate.ShouldBe(new DateOnly(1990, 2, 3));
        patient.RegisteredAt!.Value.ShouldBe(at, TimeSpan.FromMilliseconds(1));
        patient.AccountLevel.ShouldBe("confirmed");
        patient.AccountLevelAt!.Value.ShouldBe(at.AddMinutes(1), TimeSpan.FromMilliseconds(1));
        patient.OmsValidFrom.ShouldBe(new DateOnly(2020, 1, 1));
        patient.OmsValidTo.ShouldBe(new DateOnly(2030, 12, 31));
        patient.OmsChangedAt!.Value.ShouldBe(at.AddMinutes(2), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_newer_event_replaces_its_part_and_an_older_one_arriving_late_changes_nothing()
    {
        var patientId = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;

        await app.Bus.Publish(new AccountLevelChanged(patientId, "standard", at));
        await WaitForPatientAsync(patientId, p => p.AccountLevel == "standard");
        await app.Bus.Publish(new AccountLevelChanged(patientId, "confirmed", at.AddMinutes(5)));
        await WaitForPatientAsync(patientId, p => p.AccountLevel == "confirmed");
        await app.Bus.Publish(new OmsPolicyChanged(patientId, new DateOnly(2021, 1, 1), null, at.AddMinutes(5)));
        await WaitForPatientAsync(patientId, p => p.OmsValidFrom == new DateOnly(2021, 1, 1));

        // Older than what is known: identity's earlier state, delivered late.
        var lateLevel = Guid.CreateVersion7();
        await app.Bus.Publish(new AccountLevelChanged(patientId, "simplified", at.AddMinutes(1)), c => c.MessageId = lateLevel);
        var lateOms = Guid.CreateVersion7();
        await app.Bus.Publish(new OmsPolicyChanged(patientId, new DateOnly(2015, 1, 1), new DateOnly(2016, 1, 1), at.AddMinutes(1)),
            c => c.MessageId = lateOms);
        await WaitUntilProcessedAsync(lateLevel, typeof(AccountLevelChangedConsumer));
        await WaitUntilProcessedAsync(lateOms, typeof(OmsPolicyChangedConsumer));

        var patient = await app.WithDbAsync(db => db.KnownPatients.AsNoTracking().SingleAsync(p => p.PatientId == patientId));
        patient.AccountLevel.ShouldBe("confirmed");
        patient.AccountLevelAt!.Value.ShouldBe(at.AddMinutes(5), TimeSpan.FromMilliseconds(1));
        patient.OmsValidFrom.ShouldBe(new DateOnly(2021, 1, 1));
        patient.OmsValidTo.ShouldBeNull();
    }

    [Fact]
    public async Task A_late_older_registration_does_not_overwrite_the_newer_one()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        var at = DateTimeOffset.UtcNow;

        await app.Bus.Publish(new PatientRegistered(patientId, snils, "Новикова", "Елена", null, new DateOnly(1970, 5, 6), at));
        await WaitForPatientAsync(patientId, p => p.FamilyName == "Новикова");

        var late = Guid.CreateVersion7();
        await app.Bus.Publish(new PatientRegistered(patientId, snils, "Старикова", "Елена", null, new DateOnly(1970, 5, 6),
            at.AddDays(-1)), c => c.MessageId = late);
        await WaitUntilProcessedAsync(late, typeof(PatientRegisteredConsumer));

        (await app.WithDbAsync(db => db.KnownPatients.AsNoTracking().SingleAsync(p => p.PatientId == patientId)))
            .FamilyName.ShouldBe("Новикова");
    }

    private async Task<KnownPatient> WaitForPatientAsync(Guid patientId, Func<KnownPatient, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var patient = await app.WithDbAsync(db => db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId));
            if (patient is not null && condition(patient)) return patient;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Patient {patientId} did not reach the expected state.");
            await Task.Delay(50);
        }
    }

    /// <summary>The consumer recorded the message in the inbox (it commits with the consumer's effect).</summary>
    private async Task WaitUntilProcessedAsync(Guid messageId, Type consumerType)
    {
        var consumer = consumerType.FullName!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await app.WithDbAsync(db => db.Database
                   .SqlQuery<int>($"SELECT 1 AS \"Value\" FROM inbox_messages WHERE message_id = {messageId} AND consumer = {consumer}")
                   .AnyAsync()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Message {messageId} was not processed.");
            await Task.Delay(50);
        }
    }
}
