using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;

namespace Gosuslugi.Health.Disputes.Tests;

[Collection(DisputesCollection.Name)]
public sealed class OrganizationDataRequestsTests(DisputesApp app)
{
    public const string Route = "/api/v1/disputes/organization/data-requests";

    private static string StatusRoute(Guid id) => $"{Route}/{id}/status";

    [Fact]
    public async Task An_organization_lists_only_requests_addressed_to_it_and_filters_by_status()
    {
        var organizationId = Guid.CreateVersion7();
        var first = await PatientDataRequestsTests.SubmitAsync(app, Guid.CreateVersion7(), organizationId);
        var second = await PatientDataRequestsTests.SubmitAsync(app, Guid.CreateVersion7(), organizationId, "visit");
        var elsewhere = await PatientDataRequestsTests.SubmitAsync(app, Guid.CreateVersion7(), Guid.CreateVersion7());

        using var organization = app.OrganizationClient(organizationId);
        (await organization.PostAsJsonAsync(StatusRoute(second), new { status = "in_progress" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var all = await organization.GetAsync(Route);
        all.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await all.Content.ReadAsStringAsync();
        var items = (await all.ReadObjectAsync())["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([first, second]);
        items[0]!["patientId"].ShouldNotBeNull();
        text.ShouldNotContain(elsewhere.ToString());

        using var inProgress = await organization.GetAsync($"{Route}?status=in_progress");
        (await inProgress.ReadObjectAsync())["items"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<Guid>().ShouldBe(second);

        using var bad = await organization.GetAsync($"{Route}?status=closed&limit=0");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["status", "limit"], ignoreOrder: true);

        // The organization's reading is in each patient's access log.
        var reads = await app.OutboxEventsAsync<PatientDataAccessed>(first);
        reads.ShouldContain(a => a["actorRole"]!.GetValue<string>() == "medical_organization"
                                 && a["action"]!.GetValue<string>() == "read"
                                 && a["organizationId"]!.GetValue<Guid>() == organizationId);
    }

    [Fact]
    public async Task The_organization_takes_the_request_into_work_and_answers_and_the_patient_follows_every_step()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var id = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId);
        using var organization = app.OrganizationClient(organizationId);

        using var taken = await organization.PostAsJsonAsync(StatusRoute(id), new { status = "in_progress" });
        taken.StatusCode.ShouldBe(HttpStatusCode.OK, await taken.Content.ReadAsStringAsync());
        using var answered = await organization.PostAsJsonAsync(StatusRoute(id),
            new { status = "answered", answer = "Результаты анализов за март добавлены в карту." });
        answered.StatusCode.ShouldBe(HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        var body = await answered.ReadObjectAsync();
        body["status"]!.GetValue<string>().ShouldBe("answered");
        body["answeredBy"]!.GetValue<string>().ShouldBe($"client-{organizationId:N}");

        using var patient = app.PatientClient(patientId);
        var read = await (await patient.GetAsync($"{PatientDataRequestsTests.Route}/{id}")).ReadObjectAsync();
        read["status"]!.GetValue<string>().ShouldBe("answered");
        read["statusTitle"]!.GetValue<string>().ShouldBe("Готово");
        read["answer"]!.GetValue<string>().ShouldBe("Результаты анализов за март добавлены в карту.");
        read["answeredAt"].ShouldNotBeNull();
        var history = read["history"]!.AsArray();
        history.Select(h => h!["status"]!.GetValue<string>()).ShouldBe(["submitted", "in_progress", "answered"]);
        history.Select(h => h!["byRole"]!.GetValue<string>()).ShouldBe(["patient", "organization", "organization"]);
        history[2]!["note"]!.GetValue<string>().ShouldBe("Результаты анализов за март добавлены в карту.");

        var changes = await app.OutboxEventsAsync<DataRequestStatusChanged>(id);
        changes.Select(c => c["status"]!.GetValue<string>()).ShouldBe(["in_progress", "answered"], ignoreOrder: true);
        changes.ShouldAllBe(c => c["patientId"]!.GetValue<Guid>() == patientId
                                 && c["organizationName"]!.GetValue<string>() == "ГБУЗ «Городская поликлиника № 3»");

        var changeAccesses = (await app.OutboxEventsAsync<PatientDataAccessed>(id))
            .Where(a => a["action"]!.GetValue<string>() == "change").ToList();
        changeAccesses.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("answered")]
    [InlineData("refused")]
    public async Task After_an_answer_or_a_refusal_nothing_changes_any_more(string final)
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var id = await PatientDataRequestsTests.SubmitAsync(app, patientId, organizationId);
        using var organization = app.OrganizationClient(organizationId);
        (await organization.PostAsJsonAsync(StatusRoute(id), new { status = final, answer = "Сведений за этот период нет." }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var next in new object[]
                 {
                     new { status = "in_progress" },
                     new { status = "answered", answer = "Другой ответ" },
                     new { status = "refused", answer = "Другой отказ" },
                 })
        {
            using var response = await organization.PostAsJsonAsync(StatusRoute(id), next);
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var problem = await response.ReadObjectAsync();
            problem["detail"]!.GetValue<string>().ShouldBe("Запрос уже закрыт (дан ответ или отказ) и больше не изменяется.");
            problem["currentStatus"]!.GetValue<string>().ShouldBe(final);
        }

        using var patient = app.PatientClient(patientId);
        var read = await (await patient.GetAsync($"{PatientDataRequestsTests.Route}/{id}")).ReadObjectAsync();
        read["answer"]!.GetValue<string>().ShouldBe("Сведений за этот период нет.");
        read["history"]!.AsArray().Count.ShouldBe(2);
        (await app.OutboxEventsAsync<DataRequestStatusChanged>(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Wrong_status_changes_are_named_and_change_nothing()
    {
        var organizationId = Guid.CreateVersion7();
        var id = await PatientDataRequestsTests.SubmitAsync(app, Guid.CreateVersion7(), organizationId);
        using var organization = app.OrganizationClient(organizationId);

        foreach (var (body, field, message) in new (object, string, string)[]
                 {
                     (new { status = "answered" }, "answer", "Укажите ответ"),
                     (new { status = "refused", answer = " " }, "answer", "Укажите причину отказа"),
                     (new { status = "answered", answer = new string('я', 2001) }, "answer", "Ответ должен быть не длиннее 2000"),
                     (new { status = "overdue" }, "status", "Недопустимый статус"),
                     (new { status = "submitted" }, "status", "Недопустимый статус"),
                     (new { answer = "Ответ" }, "status", "Укажите новый статус"),
                 })
        {
            using var response = await organization.PostAsJsonAsync(StatusRoute(id), body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, field);
            (await response.ReadObjectAsync())["errors"]![field]![0]!.GetValue<string>().ShouldStartWith(message);
        }

        using var taken = await organization.PostAsJsonAsync(StatusRoute(id), new { status = "in_progress" });
        taken.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var again = await organization.PostAsJsonAsync(StatusRoute(id), new { status = "in_progress" });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldBe("Запрос уже в статусе «В работе».");
        (await app.OutboxEventsAsync<DataRequestStatusChanged>(id)).Count.ShouldBe(1);
    }
}
