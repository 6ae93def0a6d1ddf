using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Disputes.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Disputes.Tests;

[Collection(DisputesCollection.Name)]
public sealed class PatientDataRequestsTests(DisputesApp app)
{
    public const string Route = "/api/v1/disputes/data-requests";

    public static object ValidBody(Guid organizationId, string kind = "lab_result", string? comment = "Нет анализов за март") => new
    {
        organizationId,
        organizationName = "ГБУЗ «Городская поликлиника № 3»",
        dataKind = kind,
        periodFrom = "2024-03-01",
        periodTo = "2024-03-31",
        comment,
    };

    /// <summary>Submits a valid request as the patient and returns its id.</summary>
    public static async Task<Guid> SubmitAsync(DisputesApp app, Guid patientId, Guid organizationId, string kind = "lab_result")
    {
        using var client = app.PatientClient(patientId);
        using var response = await client.PostAsJsonAsync(Route, ValidBody(organizationId, kind));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_submitted_request_is_stored_due_in_30_days_announced_and_shown_with_its_history()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        using var client = app.PatientClient(patientId);
        var before = DateTimeOffset.UtcNow;

        using var created = await client.PostAsJsonAsync(Route, ValidBody(organizationId));

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.ReadObjectAsync();
        var id = body["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().ShouldBe($"{Route}/{id}");
        body["status"]!.GetValue<string>().ShouldBe("submitted");
        body["statusTitle"]!.GetValue<string>().ShouldBe("Отправлен");
        body["dataKind"]!.GetValue<string>().ShouldBe("lab_result");
        body["dataKindTitle"]!.GetValue<string>().ShouldBe("Результаты анализов");
        body["organizationId"]!.GetValue<Guid>().ShouldBe(organizationId);
        body["periodFrom"]!.GetValue<string>().ShouldBe("2024-03-01");
        body["periodTo"]!.GetValue<string>().ShouldBe("2024-03-31");
        body["comment"]!.GetValue<string>().ShouldBe("Нет анализов за март");
        var submittedAt = body["submittedAt"]!.GetValue<DateTimeOffset>();
        submittedAt.ShouldBeGreaterThanOrEqualTo(before.AddSeconds(-1));
        (body["dueAt"]!.GetValue<DateTimeOffset>() - submittedAt).ShouldBe(TimeSpan.FromDays(30));

        using var one = await client.GetAsync($"{Route}/{id}");
        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        var read = await one.ReadObjectAsync();
        var history = read["history"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        history["status"]!.GetValue<string>().ShouldBe("submitted");
        history["byRole"]!.GetValue<string>().ShouldBe("patient");

        var submitted = (await app.OutboxEventsAsync<DataRequestSubmitted>(id)).ShouldHaveSingleItem();
        submitted["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        submitted["organizationId"]!.GetValue<Guid>().ShouldBe(organizationId);
        submitted["dataKind"]!.GetValue<string>().ShouldBe("lab_result");
        submitted["dueAt"]!.GetValue<DateTimeOffset>().ShouldBe(body["dueAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));

        // The request, its first status and both events were written in one SaveChanges, hence one transaction.
        var save = app.SaveChanges.Inserts.Single(entities => entities.OfType<DataRequest>().Any(r => r.Id == id));
        save.OfType<DataRequestStatusChange>().ShouldHaveSingleItem();
        save.OfType<OutboxMessage>().Select(m => m.MessageType)
            .ShouldBe([typeof(DataRequestSubmitted).FullName, typeof(PatientDataAccessed).FullName], ignoreOrder: true);

        // Creating and reading the request are access events for the patient's log.
        var accesses = await app.OutboxEventsAsync<PatientDataAccessed>(id);
        accesses.Select(a => a["action"]!.GetValue<string>()).ShouldBe(["create", "read"], ignoreOrder: true);
        accesses.ShouldAllBe(a => a["section"]!.GetValue<string>() == "data_requests" && a["outcome"]!.GetValue<string>() == "allowed");
    }

    [Fact]
    public async Task The_list_is_newest_first_can_be_filtered_by_status_and_shows_only_the_patients_own()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var first = await SubmitAsync(app, patientId, organizationId, "visit");
        var second = await SubmitAsync(app, patientId, organizationId, "discharge");
        var third = await SubmitAsync(app, patientId, Guid.CreateVersion7(), "other");
        await SubmitAsync(app, Guid.CreateVersion7(), organizationId);

        using var organization = app.OrganizationClient(organizationId);
        using var answered = await organization.PostAsJsonAsync($"/api/v1/disputes/organization/data-requests/{second}/status",
            new { status = "answered", answer = "Выписка добавлена в карту." });
        answered.StatusCode.ShouldBe(HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());

        using var client = app.PatientClient(patientId);
        using var all = await client.GetAsync(Route);
        all.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await all.ReadObjectAsync())["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([third, second, first]);
        items.ShouldAllBe(i => i!["history"] == null);

        using var onlyAnswered = await client.GetAsync($"{Route}?status=answered");
        var answeredItem = (await onlyAnswered.ReadObjectAsync())["items"]!.AsArray().ShouldHaveSingleItem()!;
        answeredItem["id"]!.GetValue<Guid>().ShouldBe(second);
        answeredItem["answer"]!.GetValue<string>().ShouldBe("Выписка добавлена в карту.");

        using var badFilter = await client.GetAsync($"{Route}?status=lost");
        badFilter.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badFilter.ReadObjectAsync())["errors"]!["status"]![0]!.GetValue<string>().ShouldStartWith("Неизвестный статус");
    }

    public static TheoryData<string, string, string> WrongFields => new()
    {
        // field, JSON fragment replacing the valid field, expected start of the message
        { "organizationId", """ "organizationId": "00000000-0000-0000-0000-000000000000" """, "Выберите медицинскую организацию" },
        { "organizationId", """ "organizationId": null """, "Выберите медицинскую организацию" },
        { "organizationId", """ "organizationId": "поликлиника" """, "Идентификатор организации указывается в формате GUID" },
        { "organizationName", """ "organizationName": "  " """, "Укажите название медицинской организации" },
        { "organizationName", $$""" "organizationName": "{{new string('я', 301)}}" """, "Название медицинской организации должно быть не длиннее 300" },
        { "dataKind", """ "dataKind": "x_ray" """, "Неизвестный вид данных" },
        { "dataKind", """ "dataKind": null """, "Укажите, какие данные вы запрашиваете" },
        { "periodFrom", """ "periodFrom": null """, "Укажите дату начала периода" },
        { "periodFrom", """ "periodFrom": "01.03.2024" """, "Дата начала периода указывается в формате ГГГГ-ММ-ДД" },
        { "periodTo", """ "periodTo": "2024-02-01" """, "Дата окончания периода не может быть раньше даты начала" },
        { "periodTo", """ "periodTo": "2999-01-01" """, "Дата окончания периода не может быть в будущем" },
        { "comment", $$""" "comment": "{{new string('я', 2001)}}" """, "Комментарий должен быть не длиннее 2000" },
    };

    [Theory]
    [MemberData(nameof(WrongFields))]
    public async Task Each_wrong_field_is_named_in_a_Russian_problem_and_nothing_is_stored(string field, string fragment, string message)
    {
        var patientId = Guid.CreateVersion7();
        var valid = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ValidBody(Guid.CreateVersion7())))!.AsObject();
        var replacement = JsonNode.Parse("{" + fragment + "}")!.AsObject();
        foreach (var (name, value) in replacement.ToList())
        {
            replacement.Remove(name);
            valid[name] = value;
        }

        using var client = app.PatientClient(patientId);
        using var response = await client.PostAsync(Route,
            new StringContent(valid.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await response.ReadObjectAsync();
        problem["title"]!.GetValue<string>().ShouldBe("Запрос содержит ошибки");
        problem["errors"]![field]![0]!.GetValue<string>().ShouldStartWith(message);
        (await app.WithDbAsync(db => db.DataRequests.CountAsync(r => r.PatientId == patientId))).ShouldBe(0);
    }

    [Fact]
    public async Task Several_wrong_fields_are_all_named_at_once()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        using var response = await client.PostAsJsonAsync(Route, new
        {
            organizationId = Guid.Empty, organizationName = "", dataKind = "xray", periodFrom = "2024-05-01",
            periodTo = "2024-04-01", comment = new string('a', 2001),
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["organizationId", "organizationName", "dataKind", "periodTo", "comment"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_the_same_body_gives_the_same_answer_and_one_request()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        using var client = app.PatientClient(patientId);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> PostAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        using var first = await PostAsync(ValidBody(organizationId));
        using var second = await PostAsync(ValidBody(organizationId));
        using var different = await PostAsync(ValidBody(organizationId, "visit"));

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await first.ReadObjectAsync())["id"]!.GetValue<Guid>();
        (await second.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldBe(id);
        second.Headers.Location.ShouldBe(first.Headers.Location);
        different.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await different.ReadObjectAsync())["errors"]!["Idempotency-Key"]![0]!.GetValue<string>().ShouldContain("уже использован");

        (await app.WithDbAsync(db => db.DataRequests.CountAsync(r => r.PatientId == patientId))).ShouldBe(1);
        (await app.OutboxEventsAsync<DataRequestSubmitted>(id)).Count.ShouldBe(1);

        // The key is the patient's own: another patient may use the same one.
        using var other = app.PatientClient(Guid.CreateVersion7());
        using var otherRequest = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(ValidBody(organizationId)) };
        otherRequest.Headers.Add("Idempotency-Key", key);
        using var otherResponse = await other.SendAsync(otherRequest);
        otherResponse.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await otherResponse.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldNotBe(id);
    }

    [Fact]
    public async Task A_representative_with_a_full_delegation_submits_for_the_patient_and_a_limited_one_is_refused()
    {
        var patientId = Guid.CreateVersion7();
        using var full = app.RepresentativeClient(patientId);
        using var created = await full.PostAsJsonAsync(Route, ValidBody(Guid.CreateVersion7()));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();

        using var own = app.PatientClient(patientId);
        (await own.GetAsync($"{Route}/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var limited = app.RepresentativeClient(patientId, "health.delegated.limited");
        foreach (var response in new[]
                 {
                     await limited.PostAsJsonAsync(Route, ValidBody(Guid.CreateVersion7())),
                     await limited.GetAsync(Route),
                     await limited.GetAsync($"{Route}/{id}"),
                 })
        {
            using (response)
            {
                var text = Json.WithoutInstance(await response.Content.ReadAsStringAsync());
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, text);
                JsonNode.Parse(text)!["reason"]!.GetValue<string>().ShouldBe("section_not_delegated");
                text.ShouldNotContain(id.ToString());
            }
        }

        (await app.WithDbAsync(db => db.DataRequests.CountAsync(r => r.PatientId == patientId))).ShouldBe(1);
        var refused = (await app.OutboxEventsAsync<PatientDataAccessed>(patientId))
            .Where(a => a["outcome"]!.GetValue<string>() == "refused").ToList();
        refused.Count.ShouldBe(3);
        refused.ShouldAllBe(a => a["actorRole"]!.GetValue<string>() == "representative");
    }
}
