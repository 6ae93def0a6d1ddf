using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>
/// Every service's access events reach Audit through real RabbitMQ and land in one hash chain per patient, which neither
/// concurrent consumers nor redeliveries can fork or duplicate, which the service's own database role cannot change, and
/// which reveals any change made behind its back.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class AccessChainTests(AuditApp app)
{
    [Fact]
    public async Task Each_patient_has_a_chain_of_their_own_linked_from_the_genesis_hash()
    {
        Guid first = Guid.CreateVersion7(), second = Guid.CreateVersion7();
        // One after another, so the order in each chain is known.
        foreach (var e in new[] { AuditApp.Access(first), AuditApp.Access(second), AuditApp.Access(first), AuditApp.Access(first), AuditApp.Access(second) })
            await app.ChainAsync(e);

        foreach (var (patient, count) in new[] { (first, 3), (second, 2) })
        {
            var chain = await app.WithDbAsync(db => db.AccessEvents.AsNoTracking().Where(e => e.PatientId == patient)
                .OrderBy(e => e.PatientSequence).ToListAsync());
            chain.Select(e => e.PatientSequence).ShouldBe(Enumerable.Range(1, count).Select(i => (long)i));
            chain[0].PreviousHash.ShouldBe(PatientAccessChain.GenesisHash);
            for (var i = 1; i < chain.Count; i++) chain[i].PreviousHash.ShouldBe(chain[i - 1].Hash);
            chain.ShouldAllBe(e => e.Hash == PatientAccessChain.HashOf(e));

            var verification = await app.WithDbAsync(db => PatientAccessChain.VerifyAsync(db, patient, CancellationToken.None));
            verification.ShouldBe(new ChainVerification(true, count, null, null));
        }
    }

    [Fact]
    public async Task Concurrent_appends_for_one_patient_never_fork_the_chain()
    {
        var patient = Guid.CreateVersion7();
        var published = Enumerable.Range(0, 30).Select(_ => AuditApp.Access(patient)).ToList();
        var direct = Enumerable.Range(0, 10).Select(_ => AuditApp.Access(patient)).ToList();

        // Consumers on the bus and direct appends (each in its own transaction, as the service's role) all at once.
        var publishing = Task.WhenAll(published.Select(e => app.Bus.Publish(e)));
        var appending = Task.WhenAll(direct.Select(e => app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await PatientAccessChain.AppendAsync(db, e, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldNotBeNull();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        })));
        await Task.WhenAll(publishing, appending);
        await AuditApp.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.AccessEvents.CountAsync(e => e.PatientId == patient)) == 40, "40 chained access events");

        var chain = await app.WithDbAsync(db => db.AccessEvents.AsNoTracking().Where(e => e.PatientId == patient)
            .OrderBy(e => e.PatientSequence).ToListAsync());
        chain.Select(e => e.PatientSequence).ShouldBe(Enumerable.Range(1, 40).Select(i => (long)i));
        for (var i = 1; i < chain.Count; i++) chain[i].PreviousHash.ShouldBe(chain[i - 1].Hash);
        chain.Select(e => e.EventId).ShouldBe(published.Concat(direct).Select(e => e.EventId), ignoreOrder: true);
        (await app.WithDbAsync(db => PatientAccessChain.VerifyAsync(db, patient, CancellationToken.None))).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task A_redelivered_or_republished_access_event_is_chained_once()
    {
        var patient = Guid.CreateVersion7();
        var message = AuditApp.Access(patient);
        var messageId = Guid.CreateVersion7();

        await app.Bus.Publish(message, c => c.MessageId = messageId);
        await app.Bus.Publish(message, c => c.MessageId = messageId);
        // A service's outbox relay may publish the same event again under a new message id.
        await app.Bus.Publish(message);
        var marker = AuditApp.Access(patient);
        await app.ChainAsync(marker);
        await AuditApp.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)) == 1, "the inbox row");

        (await app.WithDbAsync(db => db.AccessEvents.CountAsync(e => e.EventId == message.EventId))).ShouldBe(1);
        (await app.WithDbAsync(db => db.AccessEvents.CountAsync(e => e.PatientId == patient))).ShouldBe(2);
        (await app.WithDbAsync(db => PatientAccessChain.VerifyAsync(db, patient, CancellationToken.None))).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task The_services_database_role_may_read_and_append_but_not_change_or_delete()
    {
        var patient = Guid.CreateVersion7();
        await app.ChainAsync(AuditApp.Access(patient));

        (await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync()))
            .ShouldBe(AuditDatabaseRoles.WriterRole);
        foreach (var sql in new[]
                 {
                     $"UPDATE access_events SET purpose = 'подделка' WHERE patient_id = '{patient}'",
                     $"DELETE FROM access_events WHERE patient_id = '{patient}'",
                     "TRUNCATE access_events",
                     "UPDATE security_events SET outcome = 'success' WHERE sequence = 1",
                     "DELETE FROM security_events WHERE sequence = 1",
                 })
        {
            var refused = await Should.ThrowAsync<PostgresException>(() => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql)));
            refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, sql);
        }
        (await app.WithDbAsync(db => db.AccessEvents.CountAsync(e => e.PatientId == patient))).ShouldBe(1);

        // The owner has the privileges; the trigger is the second line.
        await using var owner = new NpgsqlConnection(app.ConnectionString);
        await owner.OpenAsync();
        (await Should.ThrowAsync<PostgresException>(() => Execute(owner, $"DELETE FROM access_events WHERE patient_id = '{patient}'")))
            .MessageText.ShouldContain("append-only");
        (await Should.ThrowAsync<PostgresException>(() => Execute(owner, $"UPDATE access_events SET purpose = 'x' WHERE patient_id = '{patient}'")))
            .MessageText.ShouldContain("append-only");
    }

    [Fact]
    public async Task A_change_or_a_deletion_made_around_the_trigger_is_found_by_verify()
    {
        var patient = Guid.CreateVersion7();
        for (var i = 0; i < 4; i++) await app.ChainAsync(AuditApp.Access(patient, purpose: $"просмотр {i}"));
        using var me = app.MedicalClient(patient);
        using var admin = app.AdminClient();

        await using var owner = new NpgsqlConnection(app.ConnectionString);
        await owner.OpenAsync();
        await Execute(owner, "ALTER TABLE access_events DISABLE TRIGGER access_events_append_only");
        try
        {
            await Execute(owner, $"UPDATE access_events SET purpose = 'подделка' WHERE patient_id = '{patient}' AND patient_sequence = 2");
            await ShouldBeBrokenAt(2);

            await Execute(owner, $"UPDATE access_events SET purpose = 'просмотр 1' WHERE patient_id = '{patient}' AND patient_sequence = 2");
            await Execute(owner, $"CREATE TEMP TABLE removed AS SELECT * FROM access_events WHERE patient_id = '{patient}' AND patient_sequence = 3");
            await Execute(owner, $"DELETE FROM access_events WHERE patient_id = '{patient}' AND patient_sequence = 3");
            await ShouldBeBrokenAt(3);
            await Execute(owner, "INSERT INTO access_events SELECT * FROM removed");
        }
        finally
        {
            await Execute(owner, "ALTER TABLE access_events ENABLE TRIGGER access_events_append_only");
        }
        var restored = await me.GetFromJsonAsync<JsonElement>("/api/v1/audit/access-log/verify");
        restored.GetProperty("intact").GetBoolean().ShouldBeTrue();
        restored.GetProperty("entries").GetInt64().ShouldBe(4);

        async Task ShouldBeBrokenAt(long sequence)
        {
            foreach (var answer in new[]
                     {
                         await me.GetFromJsonAsync<JsonElement>("/api/v1/audit/access-log/verify"),
                         await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit/patients/{patient}/access-log/verify"),
                     })
            {
                answer.GetProperty("intact").GetBoolean().ShouldBeFalse();
                answer.GetProperty("firstBrokenSequence").GetInt64().ShouldBe(sequence);
                answer.GetProperty("entries").GetInt64().ShouldBe(sequence - 1);
            }
        }
    }

    [Fact]
    public async Task The_patient_is_told_once_per_organization_that_first_reads_their_record()
    {
        var patient = Guid.CreateVersion7();
        Guid reader = Guid.CreateVersion7(), exporter = Guid.CreateVersion7(), refusedFirst = Guid.CreateVersion7(), writer = Guid.CreateVersion7();

        await app.ChainAsync(
            AuditApp.Access(patient, AccessActorRoles.Doctor, reader),
            AuditApp.Access(patient, AccessActorRoles.Doctor, reader, RecordSections.Visits),
            AuditApp.Access(patient, AccessActorRoles.MedicalOrganization, exporter, "exports", AccessActions.Export),
            AuditApp.Access(patient, AccessActorRoles.Doctor, refusedFirst, outcome: AccessOutcomes.Refused),
            AuditApp.Access(patient, AccessActorRoles.MedicalOrganization, writer, RecordSections.Visits, AccessActions.Create),
            // The patient's own reads carry no organization.
            AuditApp.Access(patient, AccessActorRoles.Patient, actorId: patient));
        // Refused before, let in now: that is the first time it opens the record. The writer reading afterwards has
        // written into the record already: the patient knows it.
        await app.ChainAsync(
            AuditApp.Access(patient, AccessActorRoles.Doctor, refusedFirst),
            AuditApp.Access(patient, AccessActorRoles.Doctor, writer));
        await app.ChainAsync(AuditApp.Access(patient, AccessActorRoles.Doctor, reader, action: AccessActions.Export));

        var told = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(RecordOpenedByNewOrganization).FullName).ToListAsync());
        var mine = told.Select(m => JsonSerializer.Deserialize<RecordOpenedByNewOrganization>(m.Payload, JsonSerializerOptions.Web)!)
            .Where(e => e.PatientId == patient).ToList();
        mine.Select(e => e.OrganizationId).ShouldBe([reader, exporter, refusedFirst], ignoreOrder: true);
        mine.Single(e => e.OrganizationId == exporter).ShouldSatisfyAllConditions(
            e => e.OrganizationName.ShouldBe("ГБУЗ «Городская поликлиника № 1»"),
            e => e.ActorRole.ShouldBe(AccessActorRoles.MedicalOrganization),
            e => e.Section.ShouldBe("exports"));

        // The relay publishes them on the bus (for Notifications).
        await AuditApp.EventuallyAsync(() => Task.FromResult(
            app.RecordsOpened.Where(e => e.PatientId == patient).Select(e => e.OrganizationId).Distinct().Count() == 3), "the notices on the bus");
        app.RecordsOpened.Where(e => e.PatientId == patient).Select(e => e.OrganizationId).Distinct()
            .ShouldBe([reader, exporter, refusedFirst], ignoreOrder: true);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
