using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>Organizations publish and cancel items of a patient's vaccination plan; the patient reads what is to be done.</summary>
[Collection(ImmunizationsCollection.Name)]
public sealed class VaccinationPlanTests(ImmunizationsApp app)
{
    public const string Route = "/api/v1/immunizations/org/plans";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    public static JsonObject PlanBody(string snils, DateOnly dueOn, string disease = "Корь, краснуха, паротит",
        string? vaccineName = "Вактривир", string? stage = "R1") => new()
    {
        ["snils"] = snils,
        ["disease"] = disease,
        ["vaccineName"] = vaccineName,
        ["stage"] = stage,
        ["dueOn"] = dueOn.ToString("yyyy-MM-dd"),
    };

    public static string NewExternalId() => "plan-" + Guid.NewGuid().ToString("N");

    private Task<int> PlanCountAsync() => app.WithDbAsync(db => db.VaccinationPlans.CountAsync());

    private Task<int> AccessEventCountAsync(Guid patientId) =>
        app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId).ContinueWith(t => t.Result.Count);

    [Fact]
    public async Task Put_creates_the_item_a_resend_changes_nothing_and_a_new_date_updates_it()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var organizationId = Guid.CreateVersion7();
        using var organization = app.OrganizationClient(organizationId, "ГБУЗ «Детская поликлиника № 7»");
        var externalId = NewExternalId();
        var body = PlanBody(snils, Today.AddDays(100));
        body["stage"] = " r1 ";

        using var created = await organization.PutAsJsonAsync($"{Route}/{externalId}", body);

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var item = await created.ReadObjectAsync();
        var id = item["id"]!.GetValue<Guid>();
        item["externalId"]!.GetValue<string>().ShouldBe(externalId);
        item["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        item["disease"]!.GetValue<string>().ShouldBe("Корь, краснуха, паротит");
        item["vaccineName"]!.GetValue<string>().ShouldBe("Вактривир");
        item["stage"]!.GetValue<string>().ShouldBe("R1");
        item["dueOn"]!.GetValue<string>().ShouldBe(Today.AddDays(100).ToString("yyyy-MM-dd"));
        item["status"]!.GetValue<string>().ShouldBe("planned");
        created.Headers.Location!.ToString().ShouldBe($"{Route}/{externalId}");
        var stored = await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id));
        stored.OrganizationId.ShouldBe(organizationId);
        stored.OrganizationName.ShouldBe("ГБУЗ «Детская поликлиника № 7»");
        var events = await AccessEventCountAsync(patientId);
        events.ShouldBe(1);

        // A client retrying after a lost response: the same item back, nothing written, nothing logged.
        var count = await PlanCountAsync();
        using var resent = await organization.PutAsJsonAsync($"{Route}/{externalId}", body);
        resent.StatusCode.ShouldBe(HttpStatusCode.OK, await resent.Content.ReadAsStringAsync());
        (await resent.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldBe(id);
        (await PlanCountAsync()).ShouldBe(count);
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id)))
            .UpdatedAt.ShouldBe(stored.UpdatedAt);
        (await AccessEventCountAsync(patientId)).ShouldBe(events);

        // The doctor moved the date: the same item, the new date.
        body["dueOn"] = Today.AddDays(120).ToString("yyyy-MM-dd");
        using var moved = await organization.PutAsJsonAsync($"{Route}/{externalId}", body);
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        (await moved.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldBe(id);
        (await PlanCountAsync()).ShouldBe(count);
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id)))
            .DueOn.ShouldBe(Today.AddDays(120));
        (await AccessEventCountAsync(patientId)).ShouldBe(events + 1);
    }

    [Fact]
    public async Task The_same_external_id_of_another_organization_is_another_item_and_another_patient_is_a_conflict()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var (_, otherSnils) = await app.AddKnownPatientAsync();
        var externalId = NewExternalId();
        using var first = app.OrganizationClient(Guid.CreateVersion7());
        using var second = app.OrganizationClient(Guid.CreateVersion7());

        using var a = await first.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(100)));
        using var b = await second.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(100)));
        a.StatusCode.ShouldBe(HttpStatusCode.Created);
        b.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await a.ReadObjectAsync())["id"]!.GetValue<Guid>().ShouldNotBe((await b.ReadObjectAsync())["id"]!.GetValue<Guid>());

        using var conflict = await first.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(otherSnils, Today.AddDays(100)));
        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await conflict.ReadObjectAsync())["reason"]!.GetValue<string>().ShouldBe("other_patient");
    }

    [Fact]
    public async Task Delete_cancels_the_item_once_and_another_organization_gets_404()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var externalId = NewExternalId();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        using var created = await organization.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(100)));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();

        using var other = app.OrganizationClient(Guid.CreateVersion7());
        (await other.DeleteAsync($"{Route}/{externalId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await organization.DeleteAsync($"{Route}/{NewExternalId()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id))).CancelledAt.ShouldBeNull();

        var events = await AccessEventCountAsync(patientId);
        (await organization.DeleteAsync($"{Route}/{externalId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var cancelled = await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id));
        cancelled.CancelledAt.ShouldNotBeNull();
        (await AccessEventCountAsync(patientId)).ShouldBe(events + 1);

        // A repeated cancellation changes nothing.
        (await organization.DeleteAsync($"{Route}/{externalId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.WithDbAsync(db => db.VaccinationPlans.AsNoTracking().SingleAsync(p => p.Id == id)))
            .CancelledAt.ShouldBe(cancelled.CancelledAt);
        (await AccessEventCountAsync(patientId)).ShouldBe(events + 1);

        using var patient = app.PatientClient(patientId);
        (await (await patient.GetAsync("/api/v1/immunizations/plan")).ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();

        // Publishing it again reinstates it.
        using var reinstated = await organization.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(100)));
        reinstated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reinstated.ReadObjectAsync())["status"]!.GetValue<string>().ShouldBe("planned");
    }

    [Fact]
    public async Task An_invalid_item_is_a_validation_problem_with_field_keys_and_nothing_is_stored()
    {
        var (patientId, _) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var before = await PlanCountAsync();
        var body = new JsonObject
        {
            ["snils"] = "112-233-445 00",
            ["disease"] = "  ",
            ["vaccineName"] = new string('В', 201),
            ["stage"] = "X7",
            ["dueOn"] = "1899-12-31",
        };

        using var response = await organization.PutAsJsonAsync($"{Route}/{NewExternalId()}", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ReadObjectAsync();
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).Order().ShouldBe(["disease", "dueOn", "snils", "stage", "vaccineName"]);
        errors["snils"]![0]!.GetValue<string>().ShouldBe("Неверная контрольная сумма СНИЛС.");
        errors["disease"]![0]!.GetValue<string>().ShouldBe("Укажите инфекцию, против которой запланирована вакцинация.");
        problem["detail"]!.GetValue<string>().ShouldBe("Исправьте поля, указанные в errors, и повторите запрос.");

        using var badDate = await organization.PutAsJsonAsync($"{Route}/{NewExternalId()}",
            new JsonObject { ["snils"] = TestInfrastructure.TestSnils.Next(), ["disease"] = "Корь", ["dueOn"] = "15.03.2027" });
        badDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badDate.ReadObjectAsync())["errors"]!["dueOn"]![0]!.GetValue<string>()
            .ShouldBe("Планируемая дата указывается в формате ГГГГ-ММ-ДД.");

        using var missing = await organization.PutAsJsonAsync($"{Route}/{NewExternalId()}", new JsonObject());
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key).Order()
            .ShouldBe(["disease", "dueOn", "snils"]);

        using var tooLongId = await organization.PutAsJsonAsync($"{Route}/{new string('x', 101)}",
            PlanBody(TestInfrastructure.TestSnils.Next(), Today.AddDays(10)));
        tooLongId.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooLongId.ReadObjectAsync())["errors"]!["externalId"].ShouldNotBeNull();

        (await PlanCountAsync()).ShouldBe(before);
        (await AccessEventCountAsync(patientId)).ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_snils_is_422_and_nothing_is_stored()
    {
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        var before = await PlanCountAsync();

        using var response = await organization.PutAsJsonAsync($"{Route}/{NewExternalId()}",
            PlanBody(TestInfrastructure.TestSnils.Next(), Today.AddDays(30)));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.ReadObjectAsync();
        problem["errors"]!["snils"]![0]!.GetValue<string>().ShouldBe("Пациент с таким СНИЛС не зарегистрирован в сервисе.");
        problem["reason"]!.GetValue<string>().ShouldBe("patient_not_found");
        (await PlanCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Only_an_organization_token_publishes_or_cancels()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var before = await PlanCountAsync();
        var externalId = NewExternalId();
        using var patient = app.PatientClient(patientId);
        using var anonymous = app.CreateClient();
        var noOrg = app.Issuer.CreateToken("client-y", [HealthClaims.Roles.MedicalOrganization], [HealthClaims.Scopes.HealthPublish]);
        using var withoutOrg = app.CreateClient(noOrg);

        (await patient.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(30))))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await withoutOrg.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(30))))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anonymous.PutAsJsonAsync($"{Route}/{externalId}", PlanBody(snils, Today.AddDays(30))))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await patient.DeleteAsync($"{Route}/{externalId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await PlanCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_patient_sees_their_open_items_soonest_first_and_another_patient_sees_none()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var (otherId, otherSnils) = await app.AddKnownPatientAsync();
        using var polyclinic = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»");
        using var clinic = app.OrganizationClient(Guid.CreateVersion7(), "ООО «Клиника семейной медицины»");
        async Task<Guid> PublishAsync(HttpClient client, JsonObject body, string? externalId = null)
        {
            using var response = await client.PutAsJsonAsync($"{Route}/{externalId ?? NewExternalId()}", body);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
        }

        var later = await PublishAsync(polyclinic, PlanBody(snils, Today.AddDays(200), "Дифтерия, столбняк", "АДС-М", "R3"));
        var sooner = await PublishAsync(clinic, PlanBody(snils, Today.AddDays(40), "Грипп", null, null));
        var cancelledId = NewExternalId();
        await PublishAsync(polyclinic, PlanBody(snils, Today.AddDays(20), "Пневмококковая инфекция"), cancelledId);
        (await polyclinic.DeleteAsync($"{Route}/{cancelledId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await PublishAsync(polyclinic, PlanBody(otherSnils, Today.AddDays(10)));
        var events = await AccessEventCountAsync(patientId);

        using var patient = app.PatientClient(patientId);
        using var response = await patient.GetAsync("/api/v1/immunizations/plan");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await response.ReadObjectAsync())["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([sooner, later]);
        items[0]!["disease"]!.GetValue<string>().ShouldBe("Грипп");
        items[0]!["vaccineName"].ShouldBeNull();
        items[0]!["organization"]!["name"]!.GetValue<string>().ShouldBe("ООО «Клиника семейной медицины»");
        items[1]!["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 3»");
        items[1]!["vaccineName"]!.GetValue<string>().ShouldBe("АДС-М");
        items[1]!["stage"]!.GetValue<string>().ShouldBe("R3");
        items[1]!["dueOn"]!.GetValue<string>().ShouldBe(Today.AddDays(200).ToString("yyyy-MM-dd"));
        var read = (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId)).Skip(events)
            .ShouldHaveSingleItem();
        read.GetProperty("action").GetString().ShouldBe(AccessActions.Read);
        read.GetProperty("section").GetString().ShouldBe(RecordSections.Immunizations);
        read.GetProperty("outcome").GetString().ShouldBe(AccessOutcomes.Allowed);

        // Another patient's token: their own (other) plan only, nothing of this one.
        var stranger = Guid.CreateVersion7();
        using var strangerClient = app.PatientClient(stranger);
        using var strangers = await strangerClient.GetAsync("/api/v1/immunizations/plan");
        strangers.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await strangers.ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();
        using var otherClient = app.PatientClient(otherId);
        var others = (await (await otherClient.GetAsync("/api/v1/immunizations/plan")).ReadObjectAsync())["items"]!.AsArray();
        others.ShouldHaveSingleItem();
        others.Select(i => i!["id"]!.GetValue<Guid>()).ShouldNotContain(sooner);
    }

    [Fact]
    public async Task A_representative_reads_within_a_full_delegation_and_a_limited_one_is_refused_and_logged()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());
        (await organization.PutAsJsonAsync($"{Route}/{NewExternalId()}", PlanBody(snils, Today.AddDays(50))))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var representativeId = Guid.CreateVersion7();

        using var full = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, representativeId, Guid.CreateVersion7()));
        using var fullResponse = await full.GetAsync("/api/v1/immunizations/plan");
        fullResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fullResponse.ReadObjectAsync())["items"]!.AsArray().ShouldHaveSingleItem();

        var events = await AccessEventCountAsync(patientId);
        using var limited = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, representativeId, Guid.CreateVersion7(),
            scope: "health.delegated.limited"));
        using var refused = await limited.GetAsync("/api/v1/immunizations/plan");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("disease");
        var logged = (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId)).Skip(events)
            .ShouldHaveSingleItem();
        logged.GetProperty("outcome").GetString().ShouldBe(AccessOutcomes.Refused);
    }
}
