using Gosuslugi.Health.TestInfrastructure;
using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

[Collection(ImmunizationsCollection.Name)]
public sealed class PatientRegisteredTests(ImmunizationsApp app)
{
    [Fact]
    public async Task A_registered_patient_becomes_known_by_SNILS_over_the_broker()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        using (var before = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils)))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        }

        // Identity writes SNILS however the person typed it.
        var formatted = $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";
        await app.Bus.Publish(new PatientRegistered(patientId, formatted, "Петров", "Пётр", "Петрович",
            new DateOnly(1990, 1, 1), DateTimeOffset.UtcNow));

        var known = await Json.WaitForAsync(() => app.WithDbAsync(db =>
            db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId)), what: "the known patient");
        known.Snils.ShouldBe(snils);
        known.BirthDate.ShouldBe(new DateOnly(1990, 1, 1));

        using var after = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
        after.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await after.ReadObjectAsync())["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect()
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        var message = new PatientRegistered(patientId, snils, "Сидорова", "Анна", null, new DateOnly(2001, 5, 5), DateTimeOffset.UtcNow);
        var messageId = Guid.CreateVersion7();

        await app.Bus.Publish(message, context => context.MessageId = messageId);
        await app.Bus.Publish(message, context => context.MessageId = messageId);
        // The same fact under a new message id (identity republished it) must not fail either.
        await app.Bus.Publish(message);

        await Json.WaitForAsync(() => app.WithDbAsync(db =>
            db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId)), what: "the known patient");
        var processed = await Json.WaitForAsync(async () =>
        {
            var count = await app.WithDbAsync(db => db.Set<InboxMessage>()
                .CountAsync(m => m.MessageId == messageId));
            return count > 0 ? (object)count : null;
        });
        processed.ShouldBe(1);

        (await app.WithDbAsync(db => db.KnownPatients.CountAsync(p => p.Snils == snils))).ShouldBe(1);
    }
}
