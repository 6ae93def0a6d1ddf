using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Audit.Chain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>
/// Identity's security events reach Audit through real RabbitMQ and land in an append-only hash chain that neither
/// concurrent consumers nor redeliveries can fork or duplicate, and that reveals any change made behind its back.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class SecurityEventChainTests(AuditApp app)
{
    [Fact]
    public async Task Events_published_at_once_are_chained_one_after_another_without_a_fork()
    {
        var subject = Guid.CreateVersion7();
        var events = Enumerable.Range(0, 25).Select(_ => AuditApp.Event(subject)).ToList();

        await Task.WhenAll(events.Select(e => app.Bus.Publish(e)));
        await AuditApp.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.SecurityEvents.CountAsync(e => e.SubjectId == subject)) == events.Count, "25 chained events");

        var chain = await app.WithDbAsync(db => db.SecurityEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        chain.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        for (var i = 1; i < chain.Count; i++) chain[i].PreviousHash.ShouldBe(chain[i - 1].Hash);
        chain.Select(e => e.PreviousHash).Distinct().Count().ShouldBe(chain.Count);
        chain.Where(e => e.SubjectId == subject).Select(e => e.EventId).ShouldBe(events.Select(e => e.EventId), ignoreOrder: true);

        var verification = await app.WithDbAsync(db => SecurityEventChain.VerifyAsync(db, CancellationToken.None));
        verification.Intact.ShouldBeTrue(verification.Problem);
        verification.Entries.ShouldBe(chain.Count);
    }

    [Fact]
    public async Task A_redelivered_or_republished_event_adds_nothing()
    {
        var subject = Guid.CreateVersion7();
        var message = AuditApp.Event(subject, "signin.failed");
        var messageId = Guid.CreateVersion7();

        await app.Bus.Publish(message, c => c.MessageId = messageId);
        await app.Bus.Publish(message, c => c.MessageId = messageId);
        // Identity's outbox relay may publish the same event again under a new message id.
        await app.Bus.Publish(message);
        // A later event proves the three before it were all consumed.
        var marker = AuditApp.Event(subject, "signin.succeeded");
        await app.Bus.Publish(marker);

        await AuditApp.EventuallyAsync(() => app.WithDbAsync(db => db.SecurityEvents.AnyAsync(e => e.EventId == marker.EventId)), "the marker event");
        await AuditApp.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)) == 1, "the inbox row");
        (await app.WithDbAsync(db => db.SecurityEvents.CountAsync(e => e.EventId == message.EventId))).ShouldBe(1);
        (await app.WithDbAsync(db => db.SecurityEvents.CountAsync(e => e.SubjectId == subject))).ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task The_table_refuses_changes_and_a_change_made_anyway_is_found_by_verify()
    {
        var subject = Guid.CreateVersion7();
        var message = AuditApp.Event(subject, "factor.changed", new Dictionary<string, string> { ["factor"] = "totp" });
        await app.Bus.Publish(message);
        await AuditApp.EventuallyAsync(() => app.WithDbAsync(db => db.SecurityEvents.AnyAsync(e => e.EventId == message.EventId)), "the event");
        var entry = await app.WithDbAsync(db => db.SecurityEvents.AsNoTracking().SingleAsync(e => e.EventId == message.EventId));
        entry.Details.ShouldBe("""{"factor":"totp"}""");

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var update = $"UPDATE security_events SET details = '{{\"factor\":\"sms\"}}' WHERE sequence = {entry.Sequence}";
        (await Should.ThrowAsync<PostgresException>(() => Execute(connection, update))).MessageText.ShouldContain("append-only");

        // Someone with the owner's rights goes around the trigger: the chain still tells.
        await Execute(connection, "ALTER TABLE security_events DISABLE TRIGGER security_events_append_only");
        try
        {
            await Execute(connection, update);
            var verification = await app.WithDbAsync(db => SecurityEventChain.VerifyAsync(db, CancellationToken.None));
            verification.Intact.ShouldBeFalse();
            verification.FirstBrokenSequence.ShouldBe(entry.Sequence);

            using var admin = app.AdminClient();
            var answer = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/security-events/verify");
            answer.GetProperty("intact").GetBoolean().ShouldBeFalse();
            answer.GetProperty("firstBrokenSequence").GetInt64().ShouldBe(entry.Sequence);
        }
        finally
        {
            await Execute(connection, $"UPDATE security_events SET details = '{{\"factor\":\"totp\"}}' WHERE sequence = {entry.Sequence}");
            await Execute(connection, "ALTER TABLE security_events ENABLE TRIGGER security_events_append_only");
        }
        (await app.WithDbAsync(db => SecurityEventChain.VerifyAsync(db, CancellationToken.None))).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task A_patient_reads_only_their_own_events_and_an_admin_reads_anyones()
    {
        Guid me = Guid.CreateVersion7(), other = Guid.CreateVersion7();
        var mine = AuditApp.Event(me, "signin.locked_out", new Dictionary<string, string> { ["until"] = "2026-11-22T10:00:00Z" });
        var theirs = AuditApp.Event(other);
        await app.Bus.Publish(mine);
        await app.Bus.Publish(theirs);
        await AuditApp.EventuallyAsync(async () => await app.WithDbAsync(db =>
            db.SecurityEvents.CountAsync(e => e.EventId == mine.EventId || e.EventId == theirs.EventId)) == 2, "both events");

        using var patient = app.PatientClient(me);
        var page = await patient.GetFromJsonAsync<JsonElement>("/api/v1/audit/security-events");
        var item = page.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("eventId").GetGuid().ShouldBe(mine.EventId);
        item.GetProperty("kind").GetString().ShouldBe("signin.locked_out");
        item.GetProperty("ipAddress").GetString().ShouldBe("203.0.113.7");
        item.GetProperty("details").GetProperty("until").GetString().ShouldBe("2026-11-22T10:00:00Z");

        // Someone else's journal: refused, and nothing of it in the answer.
        using var foreign = await patient.GetAsync($"/api/v1/audit/security-events?subjectId={other}");
        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreign.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await foreign.Content.ReadAsStringAsync()).ShouldNotContain(theirs.EventId.ToString());

        using var otherPatient = app.PatientClient(other);
        var theirPage = await otherPatient.GetFromJsonAsync<JsonElement>("/api/v1/audit/security-events");
        theirPage.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventId").GetGuid()).ShouldBe([theirs.EventId]);

        using var admin = app.AdminClient();
        var adminPage = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit/security-events?subjectId={me}");
        adminPage.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("eventId").GetGuid().ShouldBe(mine.EventId);
        (await admin.GetAsync("/api/v1/audit/security-events")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_delegated_token_an_anonymous_caller_and_a_patient_asking_to_verify_are_refused()
    {
        var child = Guid.CreateVersion7();
        using var delegated = app.CreateClient(app.Issuer.CreateToken(child.ToString(), ["patient"], ["health.delegated.records"],
            new Dictionary<string, object>
            {
                ["act"] = new Dictionary<string, object> { ["sub"] = Guid.CreateVersion7().ToString() },
                ["del"] = Guid.CreateVersion7().ToString(),
            }));
        (await delegated.GetAsync("/api/v1/audit/security-events")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync("/api/v1/audit/security-events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var patient = app.PatientClient(Guid.CreateVersion7());
        (await patient.GetAsync("/api/v1/audit/security-events/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Pages_go_back_in_time_without_overlap()
    {
        var subject = Guid.CreateVersion7();
        var events = Enumerable.Range(0, 5).Select(_ => AuditApp.Event(subject)).ToList();
        foreach (var e in events) await app.Bus.Publish(e);
        await AuditApp.EventuallyAsync(async () =>
            await app.WithDbAsync(db => db.SecurityEvents.CountAsync(e => e.SubjectId == subject)) == 5, "five events");

        using var patient = app.PatientClient(subject);
        var seen = new List<long>();
        string url = "/api/v1/audit/security-events?limit=2";
        while (true)
        {
            var page = await patient.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()));
            if (page.GetProperty("nextBefore").ValueKind == JsonValueKind.Null) break;
            url = $"/api/v1/audit/security-events?limit=2&before={page.GetProperty("nextBefore").GetInt64()}";
        }
        seen.Count.ShouldBe(5);
        seen.ShouldBe(seen.OrderByDescending(s => s).ToList());
        (await patient.GetAsync("/api/v1/audit/security-events?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
