using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>"Who looked at my record": the patient's access log through the API, fed by events on the real bus.</summary>
[Collection(AuditCollection.Name)]
public sealed class AccessLogApiTests(AuditApp app)
{
    private const string Log = "/api/v1/audit/access-log";

    private static readonly Guid Clinic = Guid.CreateVersion7(), Hospital = Guid.CreateVersion7();

    [Fact]
    public async Task The_patient_reads_their_log_newest_first_in_words_a_patient_understands()
    {
        var patient = Guid.CreateVersion7();
        var doctorRead = AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic, RecordSections.LabResults,
            occurredAt: new DateTimeOffset(2026, 3, 10, 21, 30, 0, TimeSpan.Zero));
        var ownRead = AuditApp.Access(patient, AccessActorRoles.Patient, section: "history", actorId: patient,
            occurredAt: new DateTimeOffset(2026, 3, 11, 8, 0, 0, TimeSpan.Zero), purpose: "просмотр истории обращений");
        // One after the other: the chain's order (the sequence) is then known.
        await app.ChainAsync(doctorRead);
        await app.ChainAsync(ownRead);

        using var me = app.MedicalClient(patient);
        var page = await me.GetFromJsonAsync<JsonElement>(Log);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(2);
        page.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);

        items[0].GetProperty("who").GetString().ShouldBe("Вы");
        items[0].GetProperty("sectionName").GetString().ShouldBe("История обращений");

        var doctor = items[1];
        doctor.GetProperty("sequence").GetInt64().ShouldBe(1);
        doctor.GetProperty("who").GetString().ShouldBe("Врач");
        doctor.GetProperty("actorName").GetString().ShouldBe("Иванова Мария Петровна");
        doctor.GetProperty("organizationId").GetGuid().ShouldBe(Clinic);
        doctor.GetProperty("organizationName").GetString().ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        doctor.GetProperty("serviceName").GetString().ShouldBe("Медицинская карта");
        doctor.GetProperty("sectionName").GetString().ShouldBe("Результаты анализов");
        doctor.GetProperty("actionName").GetString().ShouldBe("Просмотр");
        doctor.GetProperty("purpose").GetString().ShouldBe("просмотр результатов анализов");
        doctor.GetProperty("outcomeName").GetString().ShouldBe("Доступ предоставлен");
        doctor.GetProperty("ipAddress").GetString().ShouldBe("198.51.100.23");
        doctor.GetProperty("occurredAt").GetDateTimeOffset().ShouldBe(doctorRead.OccurredAt);
        // 21:30 UTC is half past midnight of the next day in Moscow.
        doctor.GetProperty("occurredAtMoscow").GetString().ShouldBe("2026-03-11T00:30:00+03:00");
        doctor.GetProperty("occurredAtText").GetString().ShouldBe("11.03.2026 00:30 (МСК)");
    }

    [Fact]
    public async Task Each_filter_narrows_the_log_and_pages_go_back_in_time_without_overlap()
    {
        var patient = Guid.CreateVersion7();
        DateTimeOffset Day(int day, int hour = 10) => new(2026, 5, day, hour, 0, 0, TimeSpan.Zero);
        var events = new[]
        {
            AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic, RecordSections.LabResults, occurredAt: Day(1)),
            AuditApp.Access(patient, AccessActorRoles.Doctor, Hospital, RecordSections.Visits, occurredAt: Day(2)),
            AuditApp.Access(patient, AccessActorRoles.MedicalOrganization, Hospital, RecordSections.Visits, AccessActions.Create, occurredAt: Day(3)),
            AuditApp.Access(patient, AccessActorRoles.Representative, section: RecordSections.Prescriptions, occurredAt: Day(4)),
            AuditApp.Access(patient, AccessActorRoles.Patient, section: "history", actorId: patient, occurredAt: Day(5)),
            // 23:00 UTC on the 5th is already the 6th in Moscow.
            AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic, RecordSections.Visits, occurredAt: Day(5, 23)),
        };
        await app.ChainAsync(events);
        using var me = app.MedicalClient(patient);

        async Task<List<Guid?>> Organizations(string query)
        {
            var page = await me.GetFromJsonAsync<JsonElement>($"{Log}?{query}");
            return page.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("organizationId").ValueKind == JsonValueKind.Null ? (Guid?)null : i.GetProperty("organizationId").GetGuid())
                .ToList();
        }

        async Task<List<DateTimeOffset>> Times(string query)
        {
            var page = await me.GetFromJsonAsync<JsonElement>($"{Log}?{query}");
            return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        }

        (await Times("")).ShouldBe(events.Select(e => e.OccurredAt).OrderByDescending(t => t));
        (await Times("from=2026-05-02&to=2026-05-04")).ShouldBe([Day(4), Day(3), Day(2)]);
        (await Times("from=2026-05-06")).ShouldBe([Day(5, 23)]);
        (await Times("to=2026-05-05")).ShouldBe([Day(5), Day(4), Day(3), Day(2), Day(1)]);
        (await Times("actorRole=doctor")).ShouldBe([Day(5, 23), Day(2), Day(1)]);
        (await Times("actorRole=representative")).ShouldBe([Day(4)]);
        (await Organizations($"organizationId={Hospital}")).ShouldBe([Hospital, Hospital]);
        (await Times($"section={RecordSections.Visits}")).ShouldBe([Day(5, 23), Day(3), Day(2)]);
        (await Times($"section={RecordSections.Visits}&actorRole=doctor&organizationId={Clinic}")).ShouldBe([Day(5, 23)]);

        var seen = new List<DateTimeOffset>();
        var url = $"{Log}?limit=4";
        for (var pages = 1; ; pages++)
        {
            var page = await me.GetFromJsonAsync<JsonElement>(url);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(4);
            seen.AddRange(items.Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()));
            if (page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
            {
                pages.ShouldBe(2);
                break;
            }
            url = $"{Log}?limit=4&cursor={page.GetProperty("nextCursor").GetString()}";
        }
        seen.ShouldBe(events.Select(e => e.OccurredAt).OrderByDescending(t => t));
    }

    [Fact]
    public async Task Paging_keeps_entries_of_the_same_moment_apart()
    {
        var patient = Guid.CreateVersion7();
        var moment = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 5).Select(_ => AuditApp.Access(patient, occurredAt: moment)).ToArray();
        await app.ChainAsync(events);
        using var me = app.MedicalClient(patient);

        var sequences = new List<long>();
        var url = $"{Log}?limit=2";
        while (true)
        {
            var page = await me.GetFromJsonAsync<JsonElement>(url);
            sequences.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()));
            if (page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null) break;
            url = $"{Log}?limit=2&cursor={page.GetProperty("nextCursor").GetString()}";
        }
        sequences.ShouldBe([5, 4, 3, 2, 1]);
    }

    [Theory]
    [InlineData("from=10.05.2026", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-05-10&to=2026-05-01", "to")]
    [InlineData("actorRole=neighbour", "actorRole")]
    [InlineData("organizationId=42", "organizationId")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("section=", "section")]
    public async Task A_wrong_parameter_is_a_validation_problem_naming_it(string query, string field)
    {
        using var me = app.MedicalClient(Guid.CreateVersion7());
        using var response = await me.GetAsync($"{Log}?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Another_patient_sees_none_of_this_log_and_verifies_only_their_own()
    {
        Guid patient = Guid.CreateVersion7(), other = Guid.CreateVersion7();
        var mine = AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic);
        await app.ChainAsync(mine, AuditApp.Access(patient, AccessActorRoles.Doctor, Hospital), AuditApp.Access(other));

        using var theirs = app.MedicalClient(other);
        foreach (var query in new[] { "", $"organizationId={Clinic}", "actorRole=doctor" })
        {
            var body = await theirs.GetStringAsync($"{Log}?{query}");
            body.ShouldNotContain(mine.EventId.ToString());
            body.ShouldNotContain(Clinic.ToString());
        }
        var page = await theirs.GetFromJsonAsync<JsonElement>(Log);
        page.GetProperty("items").GetArrayLength().ShouldBe(1);

        var verification = await theirs.GetFromJsonAsync<JsonElement>($"{Log}/verify");
        verification.GetProperty("intact").GetBoolean().ShouldBeTrue();
        verification.GetProperty("entries").GetInt64().ShouldBe(1);

        // Nothing on the route takes another patient's id: the log is always the token's own.
        using var me = app.MedicalClient(patient);
        (await me.GetFromJsonAsync<JsonElement>($"{Log}/verify")).GetProperty("entries").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Reading_ones_own_log_is_not_logged_and_a_representatives_look_is()
    {
        Guid patient = Guid.CreateVersion7(), representative = Guid.CreateVersion7();
        await app.ChainAsync(AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic));

        using var me = app.MedicalClient(patient);
        (await me.GetAsync(Log)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await me.GetAsync($"{Log}/verify")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var full = app.RepresentativeClient(patient, representative);
        var page = await full.GetFromJsonAsync<JsonElement>(Log);
        page.GetProperty("items").EnumerateArray().ShouldContain(i => i.GetProperty("organizationId").ValueKind == JsonValueKind.String);

        using var limited = app.RepresentativeClient(patient, Guid.CreateVersion7(), limited: true);
        using var refused = await limited.GetAsync(Log);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain(Clinic.ToString());
        (await limited.GetAsync($"{Log}/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The representative's look and the refusals reach the chain through Audit's own outbox and the bus.
        await AuditApp.EventuallyAsync(async () => await app.WithDbAsync(db =>
            db.AccessEvents.CountAsync(e => e.PatientId == patient && e.Section == "access_log")) == 3, "the logged looks");
        var looks = await app.WithDbAsync(db => db.AccessEvents.AsNoTracking()
            .Where(e => e.PatientId == patient && e.Section == "access_log").OrderBy(e => e.PatientSequence).ToListAsync());
        // They travel through the outbox and the bus, which keep no order between messages: match them by outcome.
        looks.Single(e => e.Outcome == AccessOutcomes.Allowed).ShouldSatisfyAllConditions(
            e => e.ActorRole.ShouldBe(AccessActorRoles.Representative),
            e => e.ActorId.ShouldBe(representative),
            e => e.Service.ShouldBe("audit"));
        looks.Count(e => e.Outcome == AccessOutcomes.Refused).ShouldBe(2);
        // Only the doctor's entry and the three looks: the patient's own reads added nothing.
        (await app.WithDbAsync(db => db.AccessEvents.CountAsync(e => e.PatientId == patient))).ShouldBe(4);

        var seen = await me.GetFromJsonAsync<JsonElement>($"{Log}?section=access_log");
        seen.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("who").GetString())
            .ShouldBe(["Ваш представитель", "Ваш представитель", "Ваш представитель"]);
    }

    [Fact]
    public async Task An_admin_checks_any_patients_chain_without_seeing_its_contents_and_reads_no_log()
    {
        var patient = Guid.CreateVersion7();
        var access = AuditApp.Access(patient, AccessActorRoles.Doctor, Clinic);
        await app.ChainAsync(access, AuditApp.Access(patient));

        using var admin = app.AdminClient();
        using var response = await admin.GetAsync($"/api/v1/audit/patients/{patient}/access-log/verify");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var verification = JsonDocument.Parse(body).RootElement;
        verification.GetProperty("intact").GetBoolean().ShouldBeTrue();
        verification.GetProperty("entries").GetInt64().ShouldBe(2);
        verification.GetProperty("firstBrokenSequence").ValueKind.ShouldBe(JsonValueKind.Null);
        body.ShouldNotContain(Clinic.ToString());
        body.ShouldNotContain("просмотр");

        (await admin.GetAsync(Log)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"{Log}/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var me = app.MedicalClient(patient);
        (await me.GetAsync($"/api/v1/audit/patients/{patient}/access-log/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync(Log)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
