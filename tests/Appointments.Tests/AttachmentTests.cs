using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class AttachmentTests(AppointmentsApp app)
{
    private const string OrgRoute = "/api/v1/appointments/org";
    private const string MyAttachment = "/api/v1/appointments/attachment";
    private const string Requests = "/api/v1/appointments/attachment-requests";

    private static readonly string Attached = typeof(PatientAttached).FullName!;
    private static readonly string Detached = typeof(PatientDetached).FullName!;
    private static readonly string RequestChanged = typeof(AttachmentRequestStatusChanged).FullName!;

    [Fact]
    public async Task The_organization_attaches_by_snils_and_the_patient_sees_it_at_once_and_a_resend_changes_nothing()
    {
        var snils = TestSnils.Next();
        var patientId = await app.AddPatientAsync(snils: snils);
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Городская поликлиника № 12»");
        using var patient = app.PatientClient(patientId);

        using var before = await patient.GetAsync(MyAttachment);
        before.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ReadAsync(before))["detail"]!.GetValue<string>().ShouldStartWith("Вы не прикреплены к поликлинике");

        using var organization = app.OrganizationClient(organizationId);
        var externalId = $"att-{Guid.NewGuid():N}";
        using var put = await organization.PutAsJsonAsync($"{OrgRoute}/attachments/{externalId}",
            new { snils, attachedOn = "2026-11-01" });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var attachment = await ReadAsync(put);
        attachment["patientId"]!.GetValue<Guid>().ShouldBe(patientId);
        attachment["externalId"]!.GetValue<string>().ShouldBe(externalId);

        using var after = await patient.GetAsync(MyAttachment);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        var mine = await ReadAsync(after);
        mine["attachedOn"]!.GetValue<string>().ShouldBe("2026-11-01");
        mine["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        mine["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 12»");
        mine["organization"]!["address"]!.GetValue<string>().ShouldBe("г. Москва, ул. Садовая, д. 5");
        mine["organization"]!["phone"]!.GetValue<string>().ShouldBe("+74950000012");

        // The same attachment sent again (a retry) changes nothing and publishes nothing more.
        using var again = await organization.PutAsJsonAsync($"{OrgRoute}/attachments/{externalId}",
            new { snils, attachedOn = "2026-11-01" });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadAsync(again))["id"]!.GetValue<Guid>().ShouldBe(attachment["id"]!.GetValue<Guid>());

        var events = await app.OutboxPayloadsAsync(Attached, patientId);
        var attached = events.ShouldHaveSingleItem();
        attached.GetProperty("organizationId").GetGuid().ShouldBe(organizationId);
        attached.GetProperty("organizationName").GetString().ShouldBe("ГБУЗ «Городская поликлиника № 12»");
        attached.GetProperty("attachedOn").GetString().ShouldBe("2026-11-01");
        (await app.OutboxPayloadsAsync(Detached, patientId)).ShouldBeEmpty();

        // The organization's change is in the patient's access log.
        var access = await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId);
        access.ShouldContain(a => a.GetProperty("section").GetString() == "appointments"
                                  && a.GetProperty("action").GetString() == "change"
                                  && a.GetProperty("actorRole").GetString() == "medical_organization");
        access.ShouldContain(a => a.GetProperty("action").GetString() == "read"
                                  && a.GetProperty("actorRole").GetString() == "patient");
    }

    [Fact]
    public async Task An_unknown_snils_or_an_invalid_body_is_refused()
    {
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 2»");
        using var organization = app.OrganizationClient(organizationId);

        using var unknown = await organization.PutAsJsonAsync($"{OrgRoute}/attachments/x-{Guid.NewGuid():N}",
            new { snils = TestSnils.Next(), attachedOn = "2026-11-01" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReadAsync(unknown))["reason"]!.GetValue<string>().ShouldBe("patient_unknown");

        using var invalid = await organization.PutAsJsonAsync($"{OrgRoute}/attachments/x-{Guid.NewGuid():N}",
            new { snils = "123", attachedOn = (string?)null });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadAsync(invalid))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["snils", "attachedOn"], ignoreOrder: true);

        using var badDate = await organization.PutAsJsonAsync($"{OrgRoute}/attachments/x-{Guid.NewGuid():N}",
            new { snils = TestSnils.Next(), attachedOn = "01.11.2026" });
        badDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadAsync(badDate))["errors"]!.AsObject().ShouldContainKey("attachedOn");

        // Only a medical organization's token attaches.
        using var patient = app.PatientClient(await app.AddPatientAsync());
        using var byPatient = await patient.PutAsJsonAsync($"{OrgRoute}/attachments/x-{Guid.NewGuid():N}",
            new { snils = TestSnils.Next(), attachedOn = "2026-11-01" });
        byPatient.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Attaching_elsewhere_ends_the_old_attachment_and_publishes_both_events()
    {
        var snils = TestSnils.Next();
        var patientId = await app.AddPatientAsync(snils: snils);
        var first = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 3»");
        var second = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 4»");
        using var firstOrg = app.OrganizationClient(first);
        using var secondOrg = app.OrganizationClient(second);

        using var put1 = await firstOrg.PutAsJsonAsync($"{OrgRoute}/attachments/a-{Guid.NewGuid():N}", new { snils, attachedOn = "2025-01-10" });
        put1.StatusCode.ShouldBe(HttpStatusCode.OK);
        var oldId = (await ReadAsync(put1))["id"]!.GetValue<Guid>();
        using var put2 = await secondOrg.PutAsJsonAsync($"{OrgRoute}/attachments/b-{Guid.NewGuid():N}", new { snils, attachedOn = "2026-11-20" });
        put2.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newId = (await ReadAsync(put2))["id"]!.GetValue<Guid>();

        using var patient = app.PatientClient(patientId);
        var mine = await ReadAsync(await patient.GetAsync(MyAttachment));
        mine["organization"]!["id"]!.GetValue<Guid>().ShouldBe(second);
        mine["attachedOn"]!.GetValue<string>().ShouldBe("2026-11-20");

        var old = await app.WithDbAsync(db => db.Attachments.SingleAsync(a => a.Id == oldId));
        old.DetachedOn.ShouldBe(new DateOnly(2026, 11, 20));

        (await app.OutboxPayloadsAsync(Attached, patientId)).Select(e => e.GetProperty("attachmentId").GetGuid())
            .ShouldBe([oldId, newId]);
        var detached = (await app.OutboxPayloadsAsync(Detached, patientId)).ShouldHaveSingleItem();
        detached.GetProperty("attachmentId").GetGuid().ShouldBe(oldId);
        detached.GetProperty("organizationId").GetGuid().ShouldBe(first);
        detached.GetProperty("detachedOn").GetString().ShouldBe("2026-11-20");
    }

    [Fact]
    public async Task The_organization_detaches_and_only_its_own_attachments()
    {
        var snils = TestSnils.Next();
        var patientId = await app.AddPatientAsync(snils: snils);
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 5»");
        using var organization = app.OrganizationClient(organizationId);
        var externalId = $"d-{Guid.NewGuid():N}";
        (await organization.PutAsJsonAsync($"{OrgRoute}/attachments/{externalId}", new { snils, attachedOn = "2026-01-15" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // Another organization does not even learn that the id exists.
        using var other = app.OrganizationClient(Guid.CreateVersion7());
        using var foreign = await other.PostAsJsonAsync($"{OrgRoute}/attachments/{externalId}/detach", new { detachedOn = "2026-12-01" });
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var early = await organization.PostAsJsonAsync($"{OrgRoute}/attachments/{externalId}/detach", new { detachedOn = "2025-12-01" });
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var detach = await organization.PostAsJsonAsync($"{OrgRoute}/attachments/{externalId}/detach", new { detachedOn = "2026-12-01" });
        detach.StatusCode.ShouldBe(HttpStatusCode.OK, await detach.Content.ReadAsStringAsync());
        (await ReadAsync(detach))["detachedOn"]!.GetValue<string>().ShouldBe("2026-12-01");
        using var again = await organization.PostAsJsonAsync($"{OrgRoute}/attachments/{externalId}/detach", new { detachedOn = "2026-12-01" });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var patient = app.PatientClient(patientId);
        (await patient.GetAsync(MyAttachment)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var detached = (await app.OutboxPayloadsAsync(Detached, patientId)).ShouldHaveSingleItem();
        detached.GetProperty("organizationId").GetGuid().ShouldBe(organizationId);

        using var missing = await organization.PostAsJsonAsync($"{OrgRoute}/attachments/nope-{Guid.NewGuid():N}/detach",
            new { detachedOn = "2026-12-01" });
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_request_is_approved_and_the_patient_sees_the_status_and_the_new_attachment()
    {
        var patientId = await app.AddPatientAsync();
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 6»");
        using var patient = app.PatientClient(patientId);

        using var submit = await patient.PostAsJsonAsync(Requests,
            new { organizationId, reason = "Переехала", residenceAddress = "г. Москва, ул. Садовая, д. 7, кв. 3" });
        submit.StatusCode.ShouldBe(HttpStatusCode.Created, await submit.Content.ReadAsStringAsync());
        var submitted = await ReadAsync(submit);
        var requestId = submitted["id"]!.GetValue<Guid>();
        submitted["status"]!.GetValue<string>().ShouldBe("submitted");
        submitted["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Поликлиника № 6»");

        // One open request at a time.
        using var second = await patient.PostAsJsonAsync(Requests, new { organizationId });
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ReadAsync(second))["reason"]!.GetValue<string>().ShouldBe("request_open");

        using var organization = app.OrganizationClient(organizationId);
        using var list = await organization.GetAsync($"{OrgRoute}/attachment-requests?status=submitted");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var item = (await ReadAsync(list))["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == requestId)!;
        item["patient"]!["id"]!.GetValue<Guid>().ShouldBe(patientId);
        item["patient"]!["snils"]!.GetValue<string>().Length.ShouldBe(11);
        item["residenceAddress"]!.GetValue<string>().ShouldBe("г. Москва, ул. Садовая, д. 7, кв. 3");

        using var approve = await organization.PostAsJsonAsync($"{OrgRoute}/attachment-requests/{requestId}/approve",
            new { attachedOn = "2026-12-01" });
        approve.StatusCode.ShouldBe(HttpStatusCode.OK, await approve.Content.ReadAsStringAsync());
        var attachmentId = (await ReadAsync(approve))["attachmentId"]!.GetValue<Guid>();

        using var twice = await organization.PostAsync($"{OrgRoute}/attachment-requests/{requestId}/approve", null);
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var read = await ReadAsync(await patient.GetAsync($"{Requests}/{requestId}"));
        read["status"]!.GetValue<string>().ShouldBe("approved");
        read["statusTitle"]!.GetValue<string>().ShouldBe("Одобрено");
        read["answeredAt"].ShouldNotBeNull();
        var mine = await ReadAsync(await patient.GetAsync(MyAttachment));
        mine["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        mine["attachedOn"]!.GetValue<string>().ShouldBe("2026-12-01");
        (await app.WithDbAsync(db => db.Attachments.Where(a => a.Id == attachmentId).Select(a => a.RequestId).SingleAsync()))
            .ShouldBe(requestId);

        (await app.OutboxPayloadsAsync(RequestChanged, patientId)).Select(e => e.GetProperty("status").GetString())
            .ShouldBe(["submitted", "approved"]);
        (await app.OutboxPayloadsAsync(Attached, patientId)).ShouldHaveSingleItem()
            .GetProperty("attachmentId").GetGuid().ShouldBe(attachmentId);

        // Already attached there: no new request to the same polyclinic.
        using var same = await patient.PostAsJsonAsync(Requests, new { organizationId });
        same.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReadAsync(same))["reason"]!.GetValue<string>().ShouldBe("already_attached");
    }

    [Fact]
    public async Task A_request_is_refused_with_an_answer_the_patient_reads()
    {
        var patientId = await app.AddPatientAsync();
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 7»");
        using var patient = app.PatientClient(patientId);
        var requestId = await SubmitAsync(patient, organizationId);
        using var organization = app.OrganizationClient(organizationId);

        using var noAnswer = await organization.PostAsJsonAsync($"{OrgRoute}/attachment-requests/{requestId}/refuse", new { answer = " " });
        noAnswer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadAsync(noAnswer))["errors"]!.AsObject().ShouldContainKey("answer");

        using var refuse = await organization.PostAsJsonAsync($"{OrgRoute}/attachment-requests/{requestId}/refuse",
            new { answer = "Адрес не относится к участкам поликлиники." });
        refuse.StatusCode.ShouldBe(HttpStatusCode.OK, await refuse.Content.ReadAsStringAsync());

        var list = await ReadAsync(await patient.GetAsync(Requests));
        var read = list["items"]!.AsArray().ShouldHaveSingleItem()!;
        read["status"]!.GetValue<string>().ShouldBe("refused");
        read["statusTitle"]!.GetValue<string>().ShouldBe("Отказано");
        read["answer"]!.GetValue<string>().ShouldBe("Адрес не относится к участкам поликлиники.");
        (await patient.GetAsync(MyAttachment)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var changes = await app.OutboxPayloadsAsync(RequestChanged, patientId);
        changes.Select(e => e.GetProperty("status").GetString()).ShouldBe(["submitted", "refused"]);
        changes[1].GetProperty("answer").GetString().ShouldBe("Адрес не относится к участкам поликлиники.");
        changes[1].GetProperty("organizationName").GetString().ShouldBe("ГБУЗ «Поликлиника № 7»");
        (await app.OutboxPayloadsAsync(Attached, patientId)).ShouldBeEmpty();

        // Once answered, a new request may be submitted.
        (await patient.PostAsJsonAsync(Requests, new { organizationId })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_patient_withdraws_an_open_request_and_may_submit_another()
    {
        var patientId = await app.AddPatientAsync();
        var wrong = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 10»");
        var right = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 11»");
        using var patient = app.PatientClient(patientId);
        var requestId = await SubmitAsync(patient, wrong);

        using var stranger = app.PatientClient(await app.AddPatientAsync());
        (await stranger.PostAsync($"{Requests}/{requestId}/withdraw", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var withdraw = await patient.PostAsync($"{Requests}/{requestId}/withdraw", null);
        withdraw.StatusCode.ShouldBe(HttpStatusCode.OK, await withdraw.Content.ReadAsStringAsync());
        (await ReadAsync(withdraw))["status"]!.GetValue<string>().ShouldBe("withdrawn");
        (await patient.PostAsync($"{Requests}/{requestId}/withdraw", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var organization = app.OrganizationClient(wrong);
        (await organization.PostAsync($"{OrgRoute}/attachment-requests/{requestId}/approve", null))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await SubmitAsync(patient, right);
        (await app.OutboxPayloadsAsync(RequestChanged, patientId)).Select(e => e.GetProperty("status").GetString())
            .ShouldBe(["submitted", "withdrawn", "submitted"]);
    }

    [Fact]
    public async Task Another_patient_and_another_organization_get_404_for_a_request()
    {
        var patientId = await app.AddPatientAsync();
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 8»");
        using var patient = app.PatientClient(patientId);
        var requestId = await SubmitAsync(patient, organizationId);

        using var stranger = app.PatientClient(await app.AddPatientAsync());
        using var peek = await stranger.GetAsync($"{Requests}/{requestId}");
        peek.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await peek.Content.ReadAsStringAsync()).ShouldNotContain("Поликлиника № 8");
        (await ReadAsync(await stranger.GetAsync(Requests)))["items"]!.AsArray().ShouldBeEmpty();

        using var otherOrg = app.OrganizationClient(Guid.CreateVersion7());
        (await otherOrg.PostAsJsonAsync($"{OrgRoute}/attachment-requests/{requestId}/approve", new { }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherOrg.PostAsJsonAsync($"{OrgRoute}/attachment-requests/{requestId}/refuse", new { answer = "Нет" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await otherOrg.GetAsync($"{OrgRoute}/attachment-requests")).Content.ReadAsStringAsync())
            .ShouldNotContain(requestId.ToString());

        // A doctor's token does not manage anyone's attachment.
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);
        (await doctor.GetAsync($"{Requests}/{requestId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var read = await ReadAsync(await patient.GetAsync($"{Requests}/{requestId}"));
        read["status"]!.GetValue<string>().ShouldBe("submitted");
    }

    [Fact]
    public async Task A_request_to_an_unknown_organization_is_refused()
    {
        using var patient = app.PatientClient(await app.AddPatientAsync());
        using var response = await patient.PostAsJsonAsync(Requests, new { organizationId = Guid.CreateVersion7() });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadAsync(response))["errors"]!.AsObject().ShouldContainKey("organizationId");
    }

    [Fact]
    public async Task A_representative_with_the_appointments_scope_acts_for_the_patient_and_others_are_refused()
    {
        var patientId = await app.AddPatientAsync();
        var representativeId = Guid.CreateVersion7();
        var organizationId = await AddOrganizationAsync(app, "ГБУЗ «Поликлиника № 9»");
        using var representative = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, representativeId,
            Guid.CreateVersion7(), "health.delegated.appointments"));

        using var submit = await representative.PostAsJsonAsync(Requests, new { organizationId });
        submit.StatusCode.ShouldBe(HttpStatusCode.Created, await submit.Content.ReadAsStringAsync());
        var requestId = (await ReadAsync(submit))["id"]!.GetValue<Guid>();
        (await app.WithDbAsync(db => db.AttachmentRequests.Where(r => r.Id == requestId).Select(r => r.SubmittedBy).SingleAsync()))
            .ShouldBe(representativeId.ToString());
        (await app.WithDbAsync(db => db.AttachmentRequests.Where(r => r.Id == requestId).Select(r => r.PatientId).SingleAsync()))
            .ShouldBe(patientId);

        // A delegation to read the record does not let anyone change the patient's polyclinic.
        using var reader = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7()));
        using var refused = await reader.GetAsync($"{Requests}/{requestId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Поликлиника № 9");
        var access = await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId);
        access.ShouldContain(a => a.GetProperty("outcome").GetString() == "refused"
                                  && a.GetProperty("actorRole").GetString() == "representative");
    }

    private static async Task<Guid> SubmitAsync(HttpClient patient, Guid organizationId)
    {
        using var submit = await patient.PostAsJsonAsync(Requests, new { organizationId, reason = "Ближе к дому" });
        submit.StatusCode.ShouldBe(HttpStatusCode.Created, await submit.Content.ReadAsStringAsync());
        return (await ReadAsync(submit))["id"]!.GetValue<Guid>();
    }

    internal static async Task<Guid> AddOrganizationAsync(AppointmentsApp app, string name)
    {
        var id = Guid.CreateVersion7();
        var number = name.Where(char.IsAsciiDigit).Aggregate("", (s, c) => s + c).PadLeft(2, '0');
        await app.WithDbAsync(async db =>
        {
            db.Organizations.Add(new Organization
            {
                Id = id,
                Name = name,
                Kind = OrganizationKinds.Polyclinic,
                Address = "г. Москва, ул. Садовая, д. 5",
                Phone = $"+749500000{number}",
                UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return id;
    }

    internal static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Expected a JSON object, got: {text}");
    }
}
