using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.SickLeave.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Gosuslugi.Health.SickLeave.Tests.SickLeaveApp;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>
/// "Если требуемый листок отсутствует": the patient asks the organization, the answer is due in 24 hours, the organization
/// answers with the certificate or refuses, unanswered requests are flagged overdue; the patient hears of every step.
/// </summary>
[Collection(SickLeaveCollection.Name)]
public sealed class MissingCertificateRequestTests(SickLeaveApp app)
{
    public static JsonObject RequestBody(Guid organizationId, string? number = null) => new()
    {
        ["organizationId"] = organizationId,
        ["organizationName"] = "ГБУЗ «Городская поликлиника № 1»",
        ["periodFrom"] = Today.AddDays(-30).ToString("yyyy-MM-dd"),
        ["periodTo"] = Today.AddDays(-24).ToString("yyyy-MM-dd"),
        ["number"] = number,
        ["comment"] = "Работодатель: ООО «Ромашка»",
    };

    public static async Task<JsonObject> SubmitAsync(HttpClient patient, JsonObject body, HttpStatusCode expected = HttpStatusCode.Created,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RequestsRoute) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await patient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<HttpResponseMessage> AnswerAsync(HttpClient organization, Guid requestId, string? number, string? refusal) =>
        await organization.PostAsJsonAsync($"{OrganizationRequestsRoute}/{requestId}/answer",
            new { certificateNumber = number, refusalReason = refusal });

    [Fact]
    public async Task A_request_shows_its_24_hour_target_reaches_the_organization_with_the_patients_details_and_is_answered_with_the_certificate()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var patient = app.PatientClient(patientId);
        var before = DateTimeOffset.UtcNow;

        var submitted = await SubmitAsync(patient, RequestBody(organizationId));

        submitted["status"]!.GetValue<string>().ShouldBe("submitted");
        submitted["statusTitle"]!.GetValue<string>().ShouldBe("Отправлен");
        var submittedAt = submitted["submittedAt"]!.GetValue<DateTimeOffset>();
        submittedAt.ShouldBeGreaterThanOrEqualTo(before.AddSeconds(-1));
        submitted["dueAt"]!.GetValue<DateTimeOffset>().ShouldBe(submittedAt.AddHours(24));
        submitted["overdue"]!.GetValue<bool>().ShouldBeFalse();
        submitted["comment"]!.GetValue<string>().ShouldBe("Работодатель: ООО «Ромашка»");
        var requestId = submitted["id"]!.GetValue<Guid>();
        (await app.EventsAsync<SickLeaveRequestSubmitted>(patientId)).ShouldHaveSingleItem().DueAt.ShouldBe(submittedAt.AddHours(24));

        using var organization = app.OrganizationClient(organizationId);
        var queue = JsonNode.Parse(await organization.GetStringAsync(OrganizationRequestsRoute))!["items"]!.AsArray();
        var entry = queue.ShouldHaveSingleItem()!;
        entry["patient"]!["fullName"]!.GetValue<string>().ShouldBe("Соколова Анна Дмитриевна");
        entry["patient"]!["snils"]!.GetValue<string>().ShouldBe(snils);
        entry["patient"]!["birthDate"]!.AsDate().ShouldBe(new DateOnly(1988, 6, 21));
        entry["request"]!["periodFrom"]!.AsDate().ShouldBe(Today.AddDays(-30));

        var number = NextNumber();
        await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);
        using var answer = await AnswerAsync(organization, requestId, number, null);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());

        var seen = JsonNode.Parse(await patient.GetStringAsync($"{RequestsRoute}/{requestId}"))!;
        seen["status"]!.GetValue<string>().ShouldBe("answered");
        seen["certificateNumber"]!.GetValue<string>().ShouldBe(number);
        seen["certificateId"].ShouldNotBeNull();
        var changed = (await app.EventsAsync<SickLeaveRequestStatusChanged>(patientId)).ShouldHaveSingleItem();
        (changed.Status, changed.CertificateNumber).ShouldBe(("answered", number));
        JsonNode.Parse(await organization.GetStringAsync(OrganizationRequestsRoute))!["items"]!.AsArray().ShouldBeEmpty("answered ones leave the queue");

        var access = await app.AccessEventsAsync(patientId);
        access.ShouldContain(e => e.Action == "create" && e.ItemId == requestId && e.ActorRole == "patient");
        access.ShouldContain(e => e.Action == "read" && e.ItemId == requestId && e.OrganizationId == organizationId);
        access.ShouldContain(e => e.Action == "change" && e.ItemId == requestId && e.OrganizationId == organizationId);
    }

    [Fact]
    public async Task A_refusal_carries_its_reason_and_closes_the_request()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var patient = app.PatientClient(patientId);
        var requestId = (await SubmitAsync(patient, RequestBody(organizationId)))["id"]!.GetValue<Guid>();
        using var organization = app.OrganizationClient(organizationId);

        using (var refused = await AnswerAsync(organization, requestId, null, "За указанный период обращений не было."))
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var again = await AnswerAsync(organization, requestId, null, "Повторно"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (JsonNode.Parse(await again.Content.ReadAsStringAsync())!["currentStatus"]!.GetValue<string>()).ShouldBe("refused");
        }

        var seen = JsonNode.Parse(await patient.GetStringAsync($"{RequestsRoute}/{requestId}"))!;
        seen["status"]!.GetValue<string>().ShouldBe("refused");
        seen["refusalReason"]!.GetValue<string>().ShouldBe("За указанный период обращений не было.");
        (await app.EventsAsync<SickLeaveRequestStatusChanged>(patientId)).ShouldHaveSingleItem().RefusalReason
            .ShouldBe("За указанный период обращений не было.");
    }

    [Fact]
    public async Task An_answer_must_name_a_certificate_of_this_organization_for_this_patient()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var patient = app.PatientClient(patientId);
        var requestId = (await SubmitAsync(patient, RequestBody(organizationId)))["id"]!.GetValue<Guid>();
        // Someone else's certificate, of the same organization.
        var (_, _, _, othersNumber) = await app.PatientWithCertificateAsync(organizationId);
        using var organization = app.OrganizationClient(organizationId);

        using var response = await AnswerAsync(organization, requestId, othersNumber, null);
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        using var neither = await AnswerAsync(organization, requestId, null, null);
        neither.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await app.EventsAsync<SickLeaveRequestStatusChanged>(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_retried_submission_with_the_same_idempotency_key_is_one_request()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        using var patient = app.PatientClient(patientId);
        var body = RequestBody(Guid.CreateVersion7());

        var first = await SubmitAsync(patient, body, HttpStatusCode.Created, "retry-1");
        var second = await SubmitAsync(patient, body, HttpStatusCode.OK, "retry-1");

        second["id"]!.GetValue<Guid>().ShouldBe(first["id"]!.GetValue<Guid>());
        (await app.WithDbAsync(db => db.Requests.CountAsync(r => r.PatientId == patientId))).ShouldBe(1);
    }

    [Fact]
    public async Task The_sweep_flags_requests_unanswered_after_24_hours_once_and_a_late_answer_is_still_taken()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var patient = app.PatientClient(patientId);
        var requestId = (await SubmitAsync(patient, RequestBody(organizationId)))["id"]!.GetValue<Guid>();

        var early = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(23));
        await app.WithDbAsync(db => OverdueRequests.SweepAsync(db, early));
        (await app.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId))).Status.ShouldBe("submitted");

        var late = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(25));
        await app.WithDbAsync(db => OverdueRequests.SweepAsync(db, late));
        await app.WithDbAsync(db => OverdueRequests.SweepAsync(db, late));

        var seen = JsonNode.Parse(await patient.GetStringAsync($"{RequestsRoute}/{requestId}"))!;
        seen["status"]!.GetValue<string>().ShouldBe("overdue");
        seen["statusTitle"]!.GetValue<string>().ShouldBe("Срок ответа истёк");
        seen["overdue"]!.GetValue<bool>().ShouldBeTrue();
        (await app.EventsAsync<SickLeaveRequestStatusChanged>(patientId)).ShouldHaveSingleItem().Status.ShouldBe("overdue");

        using var organization = app.OrganizationClient(organizationId);
        var queue = JsonNode.Parse(await organization.GetStringAsync(OrganizationRequestsRoute))!["items"]!.AsArray();
        queue.ShouldHaveSingleItem()!["request"]!["overdue"]!.GetValue<bool>().ShouldBeTrue();
        var number = NextNumber();
        await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);
        using (var answer = await AnswerAsync(organization, requestId, number, null)) answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answered = JsonNode.Parse(await patient.GetStringAsync($"{RequestsRoute}/{requestId}"))!;
        answered["status"]!.GetValue<string>().ShouldBe("answered");
        answered["overdue"]!.GetValue<bool>().ShouldBeTrue("it was answered late");
    }

    [Fact]
    public async Task Invalid_requests_are_problems_naming_the_field()
    {
        using var patient = app.PatientClient(Guid.CreateVersion7());
        var body = RequestBody(Guid.CreateVersion7(), number: "123");
        body["periodFrom"] = Today.AddDays(2).ToString("yyyy-MM-dd");

        var problem = await SubmitAsync(patient, body, HttpStatusCode.BadRequest);

        problem["errors"]!["number"]![0]!.GetValue<string>().ShouldBe("Номер листка нетрудоспособности — 12 цифр.");
        problem["errors"]!["periodFrom"].ShouldNotBeNull();
    }
}
