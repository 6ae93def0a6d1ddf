using Gosuslugi.Health.TestInfrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

[Collection(ImmunizationsCollection.Name)]
public sealed class RecordImmunizationTests(ImmunizationsApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    public static JsonObject ValidBody(string snils, string? externalId = null) => new()
    {
        ["snils"] = snils,
        ["externalId"] = externalId,
        ["vaccine"] = new JsonObject { ["code"] = "GAM-COVID-VAC", ["name"] = "Гам-КОВИД-Вак (Спутник V)" },
        ["disease"] = "COVID-19",
        ["doseNumber"] = 1,
        ["stage"] = "V1",
        ["lotNumber"] = "И-1234-56",
        ["administeredOn"] = Today.AddDays(-3).ToString("yyyy-MM-dd"),
        ["route"] = "внутримышечно",
        ["site"] = "левое плечо",
        ["performerName"] = "Иванова Мария Петровна",
    };

    [Fact]
    public async Task Post_stores_the_vaccination_and_its_event_in_one_SaveChanges()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId, "ГБУЗ «Детская поликлиника № 7»");
        app.SaveChanges.Inserts.Clear();

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", ValidBody(snils, "ext-1"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.ReadObjectAsync();
        var id = body["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/immunizations/{id}");
        body["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        body["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        body["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Детская поликлиника № 7»");
        body["vaccine"]!["code"]!.GetValue<string>().ShouldBe("GAM-COVID-VAC");
        body["vaccine"]!["name"]!.GetValue<string>().ShouldBe("Гам-КОВИД-Вак (Спутник V)");
        body["disease"]!.GetValue<string>().ShouldBe("COVID-19");
        body["doseNumber"]!.GetValue<int>().ShouldBe(1);
        body["stage"]!.GetValue<string>().ShouldBe("V1");
        body["lotNumber"]!.GetValue<string>().ShouldBe("И-1234-56");
        body["administeredOn"]!.GetValue<string>().ShouldBe(Today.AddDays(-3).ToString("yyyy-MM-dd"));
        body["externalId"]!.GetValue<string>().ShouldBe("ext-1");

        // One SaveChanges is one transaction: the vaccination never exists without its event, nor the reverse.
        app.SaveChanges.Inserts.ShouldContain(types =>
            types.Contains(typeof(Immunization)) && types.Contains(typeof(OutboxMessage)));

        var stored = await app.WithDbAsync(db => db.Immunizations.SingleAsync(i => i.Id == id));
        stored.PatientId.ShouldBe(patientId);
        stored.OrganizationId.ShouldBe(organizationId);

        var outbox = await app.WithDbAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType == typeof(ImmunizationRecorded).FullName)
            .ToListAsync());
        var events = outbox
            .Select(m => JsonSerializer.Deserialize<ImmunizationRecorded>(m.Payload, Json.Web)!)
            .Where(e => e.ImmunizationId == id)
            .ToList();
        var recorded = events.ShouldHaveSingleItem();
        recorded.PatientId.ShouldBe(patientId);
        recorded.OrganizationId.ShouldBe(organizationId);
        recorded.OrganizationName.ShouldBe("ГБУЗ «Детская поликлиника № 7»");
        recorded.VaccineName.ShouldBe("Гам-КОВИД-Вак (Спутник V)");
        recorded.Disease.ShouldBe("COVID-19");
        recorded.DoseNumber.ShouldBe(1);
        recorded.AdministeredOn.ShouldBe(Today.AddDays(-3));
    }

    [Fact]
    public async Task The_recorded_event_reaches_the_broker()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var received = new TaskCompletionSource<ImmunizationRecorded>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = app.Bus.ConnectReceiveEndpoint($"test-immunization-recorded-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.Handler<ImmunizationRecorded>(context =>
            {
                if (context.Message.PatientId == patientId) received.TrySetResult(context.Message);
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        try
        {
            using var client = app.OrganizationClient(Guid.CreateVersion7());
            using var response = await client.PostAsJsonAsync("/api/v1/immunizations", ValidBody(snils));
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            var id = (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();

            var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            message.ImmunizationId.ShouldBe(id);
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    private static (string Name, Action<JsonObject> Spoil, HttpStatusCode Status, string Field)[] BadBodies(string unknownSnils) =>
    [
        ("unknown SNILS", b => b["snils"] = unknownSnils, HttpStatusCode.UnprocessableEntity, "snils"),
        ("missing SNILS", b => b.Remove("snils"), HttpStatusCode.BadRequest, "snils"),
        ("SNILS with a bad checksum", b => b["snils"] = TestSnils.Broken(b["snils"]!.GetValue<string>()), HttpStatusCode.BadRequest, "snils"),
        ("SNILS of ten digits", b => b["snils"] = "1234567890", HttpStatusCode.BadRequest, "snils"),
        ("SNILS with letters", b => b["snils"] = "12345678A01", HttpStatusCode.BadRequest, "snils"),
        ("missing vaccine", b => b.Remove("vaccine"), HttpStatusCode.BadRequest, "vaccine"),
        ("vaccine without code", b => b["vaccine"]!.AsObject().Remove("code"), HttpStatusCode.BadRequest, "vaccine.code"),
        ("vaccine with a blank name", b => b["vaccine"]!["name"] = "   ", HttpStatusCode.BadRequest, "vaccine.name"),
        ("missing disease", b => b.Remove("disease"), HttpStatusCode.BadRequest, "disease"),
        ("missing date", b => b.Remove("administeredOn"), HttpStatusCode.BadRequest, "administeredOn"),
        ("date in the future", b => b["administeredOn"] = Today.AddDays(2).ToString("yyyy-MM-dd"), HttpStatusCode.BadRequest, "administeredOn"),
        ("date before 1900", b => b["administeredOn"] = "1899-12-31", HttpStatusCode.BadRequest, "administeredOn"),
        ("date before the patient's birth", b => b["administeredOn"] = "1985-04-11", HttpStatusCode.UnprocessableEntity, "administeredOn"),
        ("dose number zero", b => b["doseNumber"] = 0, HttpStatusCode.BadRequest, "doseNumber"),
        ("dose number 99", b => b["doseNumber"] = 99, HttpStatusCode.BadRequest, "doseNumber"),
        ("unknown stage", b => b["stage"] = "X5", HttpStatusCode.BadRequest, "stage"),
        ("lot number too long", b => b["lotNumber"] = new string('1', 65), HttpStatusCode.BadRequest, "lotNumber"),
        ("external id too long", b => b["externalId"] = new string('e', 101), HttpStatusCode.BadRequest, "externalId"),
    ];

    [Fact]
    public async Task Each_bad_body_is_a_problem_naming_the_field_and_nothing_is_stored()
    {
        var (_, snils) = await app.AddKnownPatientAsync(new DateOnly(1985, 4, 12));
        var unknownSnils = TestSnils.Next();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var (immunizationsBefore, outboxBefore) = await CountRowsAsync();

        foreach (var row in BadBodies(unknownSnils))
        {
            var (name, spoil, status, field) = row;
            var body = ValidBody(snils);
            spoil(body);

            using var response = await client.PostAsJsonAsync("/api/v1/immunizations", body);

            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(status, $"{name}: {text}");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", name);
            var problem = await response.ReadObjectAsync();
            problem["status"]!.GetValue<int>().ShouldBe((int)status, name);
            var errors = problem["errors"]!.AsObject();
            errors.ContainsKey(field).ShouldBeTrue($"{name}: {text}");
            // Messages reach people: they are Russian.
            errors[field]![0]!.GetValue<string>().ShouldMatch("[А-Яа-яЁё]", name);
            problem["detail"]!.GetValue<string>().ShouldMatch("[А-Яа-яЁё]", name);
        }

        (await CountRowsAsync()).ShouldBe((immunizationsBefore, outboxBefore));
    }

    [Fact]
    public async Task Several_errors_are_reported_together()
    {
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", new JsonObject
        {
            ["snils"] = "123",
            ["administeredOn"] = Today.AddDays(5).ToString("yyyy-MM-dd"),
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        errors.Select(e => e.Key).Order().ShouldBe(["administeredOn", "disease", "snils", "vaccine"]);
    }

    [Theory]
    [InlineData("administeredOn", "\"31.02.2024\"")]
    [InlineData("administeredOn", "20240301")]
    [InlineData("doseNumber", "\"вторая\"")]
    [InlineData("vaccine", "\"Спутник V\"")]
    [InlineData("vaccine.code", "{\"x\": 1}")]
    public async Task A_value_of_the_wrong_format_is_a_problem_naming_the_field(string field, string json)
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var before = await CountRowsAsync();
        var body = ValidBody(snils);
        var path = field.Split('.');
        var parent = path.Length == 1 ? body : body[path[0]]!.AsObject();
        parent[path[^1]] = JsonNode.Parse(json);

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        errors.ContainsKey(field).ShouldBeTrue(text);
        errors[field]![0]!.GetValue<string>().ShouldMatch("[А-Яа-яЁё]");
        (await CountRowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_problem_and_nothing_is_stored()
    {
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var before = await CountRowsAsync();

        using var broken = await client.PostAsync("/api/v1/immunizations",
            new StringContent("{\"snils\": ", System.Text.Encoding.UTF8, "application/json"));
        using var empty = await client.PostAsync("/api/v1/immunizations",
            new StringContent("null", System.Text.Encoding.UTF8, "application/json"));
        using var text = await client.PostAsync("/api/v1/immunizations", new StringContent("snils=1"));

        broken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await broken.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("body").ShouldBeTrue();
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("body").ShouldBeTrue();
        text.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        text.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await CountRowsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_formatted_SNILS_names_the_same_patient()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var formatted = $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", ValidBody(formatted));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.ReadObjectAsync())["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
    }

    [Fact]
    public async Task Resending_the_same_external_id_returns_the_stored_record_without_a_duplicate()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId);
        var body = ValidBody(snils, "visit-42/dose-1");

        using var first = await client.PostAsJsonAsync("/api/v1/immunizations", body);
        using var second = await client.PostAsJsonAsync("/api/v1/immunizations", body);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var id = (await first.ReadObjectAsync())["id"]!.GetValue<Guid>();
        (await second.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldBe(id);
        (await app.WithDbAsync(db => db.Immunizations.CountAsync(i => i.OrganizationId == organizationId))).ShouldBe(1);
        var events = await app.WithDbAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType == typeof(ImmunizationRecorded).FullName).ToListAsync());
        events.Count(m => JsonSerializer.Deserialize<ImmunizationRecorded>(m.Payload, Json.Web)!.ImmunizationId == id).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_external_id_store_one_record()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId);
        var body = ValidBody(snils, "concurrent-1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => client.PostAsJsonAsync("/api/v1/immunizations", body)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.OK);
        (await app.WithDbAsync(db => db.Immunizations.CountAsync(i => i.OrganizationId == organizationId))).ShouldBe(1);
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task The_same_external_id_with_different_data_is_a_conflict()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId);
        using var first = await client.PostAsJsonAsync("/api/v1/immunizations", ValidBody(snils, "ext-7"));
        var changed = ValidBody(snils, "ext-7");
        changed["lotNumber"] = "ДРУГАЯ-СЕРИЯ";

        using var second = await client.PostAsJsonAsync("/api/v1/immunizations", changed);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("externalId").ShouldBeTrue();
        (await app.WithDbAsync(db => db.Immunizations.CountAsync(i => i.OrganizationId == organizationId))).ShouldBe(1);
    }

    [Fact]
    public async Task External_ids_are_per_organization()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var first = app.OrganizationClient(Guid.CreateVersion7());
        using var second = app.OrganizationClient(Guid.CreateVersion7());

        using var a = await first.PostAsJsonAsync("/api/v1/immunizations", ValidBody(snils, "shared-id"));
        using var b = await second.PostAsJsonAsync("/api/v1/immunizations", ValidBody(snils, "shared-id"));

        a.StatusCode.ShouldBe(HttpStatusCode.Created);
        b.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.WithDbAsync(db => db.Immunizations.CountAsync(i => i.PatientId == patientId))).ShouldBe(2);
    }

    [Fact]
    public async Task The_organization_comes_from_the_token_not_the_body()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var client = app.OrganizationClient(organizationId, "ГБУЗ «Настоящая»");
        var body = ValidBody(snils);
        body["organizationId"] = Guid.NewGuid().ToString();
        body["organizationName"] = "Чужая организация";
        body["organization"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = "Чужая" };

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await response.ReadObjectAsync();
        created["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        created["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Настоящая»");
    }

    [Fact]
    public async Task A_vaccination_given_today_in_Kamchatka_is_not_in_the_future()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var body = ValidBody(snils);
        body["administeredOn"] = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(12)).DateTime)
            .ToString("yyyy-MM-dd");

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_the_required_fields_are_enough()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var client = app.OrganizationClient(Guid.CreateVersion7());

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", new JsonObject
        {
            ["snils"] = snils,
            ["vaccine"] = new JsonObject { ["code"] = "MMR", ["name"] = "Вактривир" },
            ["disease"] = "Корь, краснуха, эпидемический паротит",
            ["administeredOn"] = Today.AddDays(-1).ToString("yyyy-MM-dd"),
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.ReadObjectAsync();
        body["doseNumber"].ShouldBeNull();
        body["externalId"].ShouldBeNull();
    }

    private Task<(int Immunizations, int Outbox)> CountRowsAsync() =>
        app.WithDbAsync(async db => (await db.Immunizations.CountAsync(), await db.Set<OutboxMessage>().CountAsync()));
}
