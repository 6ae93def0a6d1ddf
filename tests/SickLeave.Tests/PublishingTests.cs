using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.SickLeave.Domain;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.SickLeave.Tests.SickLeaveApp;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>Organizations publish certificates: a resend changes nothing, a change is a new version of an allowed transition.</summary>
[Collection(SickLeaveCollection.Name)]
public sealed class PublishingTests(SickLeaveApp app)
{
    [Fact]
    public async Task A_published_certificate_is_stored_announced_and_answered_with_its_card()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        var number = NextNumber();
        using var organization = app.OrganizationClient(organizationId, "ГБУЗ «Городская поликлиника № 7»");

        var card = await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);

        card["number"]!.GetValue<string>().ShouldBe(number);
        card["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        card["status"]!.GetValue<string>().ShouldBe("open");
        card["statusTitle"]!.GetValue<string>().ShouldBe("Открыт");
        card["version"]!.GetValue<int>().ShouldBe(1);
        card["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 7»");
        card["reason"]!["title"]!.GetValue<string>().ShouldBe("Заболевание");
        card["regime"]!["title"]!.GetValue<string>().ShouldBe("Амбулаторное лечение");
        card["doctor"]!["name"]!.GetValue<string>().ShouldBe("Смирнова Елена Викторовна");

        var changed = (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).ShouldHaveSingleItem();
        changed.Number.ShouldBe(number);
        changed.Status.ShouldBe(SickLeaveStatuses.Open);
        changed.Version.ShouldBe(1);
        changed.OrganizationId.ShouldBe(organizationId);
        var access = (await app.AccessEventsAsync(patientId)).ShouldHaveSingleItem();
        access.Action.ShouldBe("create");
        access.Section.ShouldBe("sick_leave");
        access.OrganizationId.ShouldBe(organizationId);
    }

    [Fact]
    public async Task A_resend_of_the_same_content_answers_the_same_and_changes_nothing()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var first = await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);

        var again = await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.OK);

        again["id"]!.GetValue<Guid>().ShouldBe(first["id"]!.GetValue<Guid>());
        again["version"]!.GetValue<int>().ShouldBe(1);
        (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Count.ShouldBe(1);
        (await app.WithDbAsync(db => db.CertificateVersions.CountAsync(v => v.PatientId == patientId))).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_first_publications_of_one_number_make_one_certificate()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => organization.PostAsJsonAsync(PublishRoute, Certificate(number, snils))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(5);
        (await app.WithDbAsync(db => db.Certificates.CountAsync(c => c.Number == number))).ShouldBe(1);
        (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Extending_then_closing_adds_versions_and_announces_each()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Created);

        var extended = await PublishAsync(organization, Certificate(number, snils, "extended", periods: 2), HttpStatusCode.OK);
        extended["version"]!.GetValue<int>().ShouldBe(2);
        extended["periods"]!.AsArray().Count.ShouldBe(2);
        extended["endsOn"]!.AsDate().ShouldBe(EndOf(2));

        var closed = await PublishAsync(organization,
            Certificate(number, snils, "closed", periods: 2, returnToWorkOn: EndOf(2).AddDays(1)), HttpStatusCode.OK);
        closed["version"]!.GetValue<int>().ShouldBe(3);
        closed["returnToWorkOn"]!.AsDate().ShouldBe(EndOf(2).AddDays(1));
        // The organization reads its own certificate back, with the versions it went through.
        var own = JsonNode.Parse(await organization.GetStringAsync($"{PublishRoute}/{closed["id"]}"))!;
        own["history"]!.AsArray().Select(v => v!["status"]!.GetValue<string>()).ShouldBe(["open", "extended", "closed"]);

        (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Select(e => (e.Status, e.Version))
            .ShouldBe([("open", 1), ("extended", 2), ("closed", 3)]);
        (await app.AccessEventsAsync(patientId)).Select(e => e.Action).ShouldBe(["create", "change", "change", "read"]);
    }

    [Fact]
    public async Task A_closed_certificate_cannot_be_extended_but_can_be_annulled_and_annulled_is_final()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var returnOn = EndOf(1).AddDays(1);
        await PublishAsync(organization, Certificate(number, snils, "closed", returnToWorkOn: returnOn), HttpStatusCode.Created);

        var refused = await PublishAsync(organization, Certificate(number, snils, "extended", periods: 2), HttpStatusCode.Conflict);
        refused["detail"]!.GetValue<string>().ShouldBe("Закрытый листок нетрудоспособности нельзя продлить или изменить, только аннулировать.");
        refused["currentStatus"]!.GetValue<string>().ShouldBe("closed");

        var annulled = await PublishAsync(organization,
            Certificate(number, snils, "annulled", returnToWorkOn: returnOn, annulmentReason: "Выдан ошибочно"), HttpStatusCode.OK);
        annulled["status"]!.GetValue<string>().ShouldBe("annulled");
        annulled["annulmentReason"]!.GetValue<string>().ShouldBe("Выдан ошибочно");

        var final = await PublishAsync(organization, Certificate(number, snils, "closed", returnToWorkOn: returnOn), HttpStatusCode.Conflict);
        final["detail"]!.GetValue<string>().ShouldBe("Листок нетрудоспособности аннулирован: изменения больше не принимаются.");
        (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Select(e => e.Status).ShouldBe(["closed", "annulled"]);
    }

    [Fact]
    public async Task Issued_periods_cannot_be_rewritten_and_an_extended_one_cannot_reopen()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var number = NextNumber();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        await PublishAsync(organization, Certificate(number, snils, "extended", periods: 2), HttpStatusCode.Created);

        var rewritten = Certificate(number, snils, "extended", periods: 3);
        rewritten["periods"]![0]!["to"] = Today.AddDays(-28).ToString("yyyy-MM-dd");
        rewritten["periods"]![1]!["from"] = Today.AddDays(-27).ToString("yyyy-MM-dd");
        (await PublishAsync(organization, rewritten, HttpStatusCode.Conflict))["detail"]!.GetValue<string>()
            .ShouldBe("Выданные периоды нетрудоспособности не изменяются: продление добавляет новый период.");

        (await PublishAsync(organization, Certificate(number, snils), HttpStatusCode.Conflict))["detail"]!.GetValue<string>()
            .ShouldBe("Продлённый листок нетрудоспособности не может снова стать открытым.");
    }

    [Fact]
    public async Task Another_organization_cannot_change_a_certificate_nor_learn_its_content()
    {
        var (patientId, snils, _, number) = await app.PatientWithCertificateAsync();
        using var other = app.OrganizationClient(Guid.CreateVersion7());

        var refused = await PublishAsync(other, Certificate(number, snils, "extended", periods: 2), HttpStatusCode.Conflict);

        refused["detail"]!.GetValue<string>().ShouldBe("Листок нетрудоспособности с этим номером опубликован другой медицинской организацией.");
        refused.ContainsKey("currentStatus").ShouldBeFalse();
        refused.ToJsonString().ShouldNotContain("Смирнова");
        (await app.EventsAsync<SickLeaveCertificateChanged>(patientId)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("number", "12345", "Номер листка нетрудоспособности — 12 цифр.")]
    [InlineData("status", "paused", "Статус листка: open, extended, closed или annulled.")]
    [InlineData("reasonCode", "99", "Код причины нетрудоспособности — от 01 до 15.")]
    [InlineData("regime", "home", "Режим лечения: outpatient, inpatient, day_hospital или sanatorium.")]
    public async Task Invalid_fields_are_a_problem_naming_them_and_nothing_is_stored(string field, string value, string message)
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var body = Certificate(NextNumber(), snils);
        body[field] = value;
        using var organization = app.OrganizationClient(Guid.CreateVersion7());

        var problem = await PublishAsync(organization, body, HttpStatusCode.BadRequest);

        problem["errors"]![field]![0]!.GetValue<string>().ShouldBe(message);
        (await app.WithDbAsync(db => db.Certificates.CountAsync(c => c.PatientId == patientId))).ShouldBe(0);
    }

    [Fact]
    public async Task The_status_must_agree_with_the_periods_and_dates()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());

        (await PublishAsync(organization, Certificate(NextNumber(), snils, "extended"), HttpStatusCode.BadRequest))["errors"]!["periods"]![0]!
            .GetValue<string>().ShouldBe("У продлённого листка не меньше двух периодов нетрудоспособности.");
        (await PublishAsync(organization, Certificate(NextNumber(), snils, "closed"), HttpStatusCode.BadRequest))["errors"]!["returnToWorkOn"]![0]!
            .GetValue<string>().ShouldBe("У закрытого листка указывается дата выхода на работу.");
        (await PublishAsync(organization, Certificate(NextNumber(), snils, "closed", returnToWorkOn: EndOf(1)), HttpStatusCode.BadRequest))
            ["errors"]!["returnToWorkOn"]![0]!.GetValue<string>().ShouldBe("Дата выхода на работу — после окончания последнего периода нетрудоспособности.");
        (await PublishAsync(organization, Certificate(NextNumber(), snils, "annulled", annulmentReason: "Ошибка"), HttpStatusCode.UnprocessableEntity))
            ["detail"]!.GetValue<string>().ShouldBe("Новый листок нетрудоспособности не может быть опубликован аннулированным.");
    }

    [Fact]
    public async Task An_unknown_snils_is_unprocessable()
    {
        using var organization = app.OrganizationClient(Guid.CreateVersion7());

        var problem = await PublishAsync(organization, Certificate(NextNumber(), TestInfrastructure.TestSnils.Next()), HttpStatusCode.UnprocessableEntity);

        problem["errors"]!["snils"]![0]!.GetValue<string>().ShouldBe("Пациент с таким СНИЛС не зарегистрирован в сервисе.");
    }

    [Fact]
    public async Task The_medical_content_is_sealed_at_rest()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var body = Certificate(NextNumber(), snils, reasonCode: "11");
        body["doctor"]!["name"] = "Белоусова Ирина Геннадьевна";
        await PublishAsync(organization, body, HttpStatusCode.Created);

        var rows = await app.WithDbAsync(db => db.Database.SqlQuery<string>($"""
            SELECT row_to_json(c)::text AS "Value" FROM certificates c WHERE patient_id = {patientId}
            UNION ALL SELECT row_to_json(v)::text FROM certificate_versions v WHERE patient_id = {patientId}
            """).ToListAsync());

        rows.Count.ShouldBe(2);
        TestInfrastructure.SealedStorage.ShouldHoldNoReadable(rows, ["Белоусова Ирина Геннадьевна", "врач-терапевт участковый", "outpatient", "\"11\""]);
    }

    [Fact]
    public async Task A_publishing_client_without_an_organization_name_is_forbidden()
    {
        var organizationId = Guid.CreateVersion7();
        using var client = app.CreateClient(app.Issuer.CreateToken($"client-{organizationId:N}", ["medical_organization"], ["health.publish"],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString() }));
        var (_, snils) = await app.AddKnownPatientAsync();

        using var response = await client.PostAsJsonAsync(PublishRoute, Certificate(NextNumber(), snils));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
