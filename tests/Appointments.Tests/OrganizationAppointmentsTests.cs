using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Appointments.Tests.BookingTestSupport;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class OrganizationAppointmentsTests(AppointmentsApp app)
{
    private static string Tomorrow => MoscowTime.DateOf(TestReferenceData.TomorrowAtMoscow(9, 0)).ToString("yyyy-MM-dd");

    [Fact]
    public async Task The_organization_lists_its_appointments_of_a_day_with_the_patients()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 3);
        var first = await app.AddPatientAsync();
        var second = await app.AddPatientAsync();
        var one = (await app.BookOkAsync(first, slots[1]))["id"]!.GetValue<Guid>();
        var two = (await app.BookOkAsync(second, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.OrganizationClient(organizationId);

        using var response = await client.GetAsync($"{OrgRoute}?date={Tomorrow}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        body["date"]!.GetValue<string>().ShouldBe(Tomorrow);
        var items = body["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([two, one]);
        items[0]!["patient"]!["id"]!.GetValue<Guid>().ShouldBe(second);
        items[0]!["patient"]!["name"]!.GetValue<string>().ShouldBe("Иванова Мария Петровна");
        items[0]!["patient"]!["snils"]!.GetValue<string>().Length.ShouldBe(11);
        items[0]!["doctor"]!["name"]!.GetValue<string>().ShouldBe("Петрова Анна Сергеевна");
        (await app.AccessEventsAsync(first)).ShouldContain(a => a.Action == "read" && a.ItemId == one);

        using var otherDay = await client.GetAsync($"{OrgRoute}?date=2020-01-01");
        (await otherDay.ReadJsonAsync())["items"]!.AsArray().ShouldBeEmpty();
        using var otherOrg = await app.OrganizationClient(Guid.CreateVersion7()).GetAsync($"{OrgRoute}?date={Tomorrow}");
        (await otherOrg.ReadJsonAsync())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ShouldNotContain(one);
        using var noDate = await client.GetAsync(OrgRoute);
        noDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var patient = await app.PatientClient(first).GetAsync($"{OrgRoute}?date={Tomorrow}");
        patient.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_organization_cancels_with_a_reason_the_patient_reads()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.OrganizationClient(organizationId);

        using var noReason = await client.PostAsJsonAsync($"{OrgRoute}/{id}/cancel", new { });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.ReadJsonAsync())["errors"]!["reason"].ShouldNotBeNull();

        using var cancelled = await client.PostAsJsonAsync($"{OrgRoute}/{id}/cancel", new { reason = "Врач заболел" });

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync());
        var body = await cancelled.ReadJsonAsync();
        body["status"]!.GetValue<string>().ShouldBe("cancelled");
        body["cancelledBy"]!.GetValue<string>().ShouldBe("organization");
        body["cancelReason"]!.GetValue<string>().ShouldBe("Врач заболел");

        var evt = (await app.OutboxPayloadsAsync(typeof(AppointmentCancelled).FullName!, patientId)).ShouldHaveSingleItem();
        evt.GetProperty("cancelledBy").GetString().ShouldBe("organization");
        evt.GetProperty("reason").GetString().ShouldBe("Врач заболел");
        evt.GetProperty("organizationName").GetString().ShouldBe("ГБУЗ «Городская поликлиника № 1»");

        using var seen = await app.PatientClient(patientId).GetAsync($"{Route}/{id}");
        var history = (await seen.ReadJsonAsync())["history"]!.AsArray();
        history[^1]!["kind"]!.GetValue<string>().ShouldBe("cancelled");
        history[^1]!["byRole"]!.GetValue<string>().ShouldBe("organization");
        history[^1]!["reason"]!.GetValue<string>().ShouldBe("Врач заболел");
        (await app.AccessEventsAsync(patientId)).ShouldContain(a => a.Action == "change" && a.ItemId == id);
    }

    [Fact]
    public async Task The_organization_moves_with_a_reason_and_announces_the_previous_time()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var (_, otherDoctorId, otherSlots) = await app.AddDoctorWithSlotsAsync(slots: 1, organizationId: organizationId,
            firstStartsAt: TestReferenceData.TomorrowAtMoscow(11, 0));
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.OrganizationClient(organizationId);

        using var noReason = await client.PostAsJsonAsync($"{OrgRoute}/{id}/move", new { slotId = otherSlots[0] });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var moved = await client.PostAsJsonAsync($"{OrgRoute}/{id}/move",
            new { slotId = otherSlots[0], reason = "Врач заболел, вас примет другой терапевт" });

        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var body = await moved.ReadJsonAsync();
        body["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(11, 0));
        body["doctor"]!["id"]!.GetValue<Guid>().ShouldBe(otherDoctorId);

        var events = await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId);
        events.Count.ShouldBe(2);
        events[1].GetProperty("changedBy").GetString().ShouldBe("organization");
        events[1].GetProperty("reason").GetString().ShouldBe("Врач заболел, вас примет другой терапевт");
        events[1].GetProperty("previousStartsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        events[1].GetProperty("doctorId").GetGuid().ShouldBe(otherDoctorId);

        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));
        appointment.SlotId.ShouldBe(otherSlots[0]);
        appointment.DoctorId.ShouldBe(otherDoctorId);
    }

    [Fact]
    public async Task The_organization_cannot_move_to_another_organizations_slot()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var (_, _, foreignSlots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var id = (await app.BookOkAsync(await app.AddPatientAsync(), slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.OrganizationClient(organizationId);

        using var moved = await client.PostAsJsonAsync($"{OrgRoute}/{id}/move", new { slotId = foreignSlots[0], reason = "перенос" });

        moved.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ReasonOf(moved)).ShouldBe("slot_not_found");
    }

    [Fact]
    public async Task Another_organization_gets_404_and_changes_nothing()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var stranger = app.OrganizationClient(Guid.CreateVersion7());

        using var cancel = await stranger.PostAsJsonAsync($"{OrgRoute}/{id}/cancel", new { reason = "чужая запись" });
        using var move = await stranger.PostAsJsonAsync($"{OrgRoute}/{id}/move", new { slotId = slots[1], reason = "чужая запись" });

        cancel.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        move.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await cancel.Content.ReadAsStringAsync()).ShouldNotContain("startsAt");
        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));
        appointment.Status.ShouldBe(AppointmentStatuses.Booked);
        appointment.SlotId.ShouldBe(slots[0]);
        (await app.OutboxPayloadsAsync(typeof(AppointmentCancelled).FullName!, patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_patient_or_doctor_token_cannot_use_the_organization_endpoints()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();

        using var patient = await app.PatientClient(patientId).PostAsJsonAsync($"{OrgRoute}/{id}/cancel", new { reason = "x" });
        patient.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var doctor = await app.DoctorClient(Guid.CreateVersion7(), organizationId)
            .PostAsJsonAsync($"{OrgRoute}/{id}/cancel", new { reason = "x" });
        doctor.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
