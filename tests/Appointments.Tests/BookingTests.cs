using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Appointments.Tests.BookingTestSupport;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class BookingTests(AppointmentsApp app)
{
    [Fact]
    public async Task A_booked_appointment_is_answered_listed_and_read_with_its_doctor_organization_and_history()
    {
        var (organizationId, doctorId, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        using var client = app.PatientClient(patientId);

        using var created = await client.BookAsync(slots[0]);

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.ReadJsonAsync();
        var id = body["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().ShouldBe($"{Route}/{id}");
        body["status"]!.GetValue<string>().ShouldBe("booked");
        body["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        body["endsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));
        body["telemedicine"]!.GetValue<bool>().ShouldBeFalse();
        body["joinUrl"].ShouldBeNull();
        body["room"]!.GetValue<string>().ShouldBe("101");
        body["doctor"]!["id"]!.GetValue<Guid>().ShouldBe(doctorId);
        body["doctor"]!["name"]!.GetValue<string>().ShouldBe("Петрова Анна Сергеевна");
        body["doctor"]!["specialtyName"]!.GetValue<string>().ShouldBe("Терапевт");
        body["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        body["organization"]!["address"]!.GetValue<string>().ShouldBe("г. Москва, ул. Ленина, д. 1");
        var history = body["history"]!.AsArray().ShouldHaveSingleItem()!;
        history["kind"]!.GetValue<string>().ShouldBe("booked");
        history["byRole"]!.GetValue<string>().ShouldBe("patient");
        history["toStartsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));

        using var list = await client.GetAsync(Route);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await list.ReadJsonAsync())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([id]);
        using var booked = await client.GetAsync($"{Route}?status=booked");
        (await booked.ReadJsonAsync())["items"]!.AsArray().Count.ShouldBe(1);
        using var cancelled = await client.GetAsync($"{Route}?status=cancelled");
        (await cancelled.ReadJsonAsync())["items"]!.AsArray().ShouldBeEmpty();
        using var badStatus = await client.GetAsync($"{Route}?status=whatever");
        badStatus.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var one = await client.GetAsync($"{Route}/{id}");
        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await one.ReadJsonAsync())["id"]!.GetValue<Guid>().ShouldBe(id);

        var accesses = await app.AccessEventsAsync(patientId);
        accesses.ShouldAllBe(a => a.Section == "appointments" && a.Outcome == "allowed");
        accesses.ShouldContain(a => a.Action == "create" && a.ItemId == id);
        accesses.ShouldContain(a => a.Action == "read" && a.ItemId == id);
        accesses.Count(a => a.Action == "read" && a.ItemId == null).ShouldBe(3);
    }

    [Fact]
    public async Task Booking_publishes_what_records_and_notifications_need()
    {
        var (organizationId, doctorId, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();

        var appointment = await app.BookOkAsync(patientId, slots[0]);

        var booked = (await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId)).ShouldHaveSingleItem();
        booked.GetProperty("appointmentId").GetGuid().ShouldBe(appointment["id"]!.GetValue<Guid>());
        booked.GetProperty("organizationId").GetGuid().ShouldBe(organizationId);
        booked.GetProperty("organizationName").GetString().ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        booked.GetProperty("doctorId").GetGuid().ShouldBe(doctorId);
        booked.GetProperty("doctorName").GetString().ShouldBe("Петрова Анна Сергеевна");
        booked.GetProperty("specialty").GetString().ShouldBe("Терапевт");
        booked.GetProperty("startsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        booked.GetProperty("endsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));
        booked.GetProperty("address").GetString().ShouldBe("г. Москва, ул. Ленина, д. 1, кабинет 101");
        booked.GetProperty("changedBy").GetString().ShouldBe("patient");
        booked.GetProperty("telemedicine").GetBoolean().ShouldBeFalse();
        booked.GetProperty("previousStartsAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_telemedicine_appointment_gets_a_join_link_and_no_address()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1, telemedicine: true);
        var patientId = await app.AddPatientAsync();

        var appointment = await app.BookOkAsync(patientId, slots[0]);

        appointment["telemedicine"]!.GetValue<bool>().ShouldBeTrue();
        var joinUrl = appointment["joinUrl"]!.GetValue<string>();
        joinUrl.ShouldStartWith("https://telemed.gosuslugi.health/room/");
        joinUrl.Length.ShouldBeGreaterThan("https://telemed.gosuslugi.health/room/".Length + 20);
        appointment["room"].ShouldBeNull();
        var booked = (await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId)).ShouldHaveSingleItem();
        booked.GetProperty("joinUrl").GetString().ShouldBe(joinUrl);
        booked.GetProperty("telemedicine").GetBoolean().ShouldBeTrue();
        booked.GetProperty("address").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task A_taken_slot_answers_409_slot_taken()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        await app.BookOkAsync(await app.AddPatientAsync(), slots[0]);
        using var other = app.PatientClient(await app.AddPatientAsync());

        using var response = await other.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await ReasonOf(response)).ShouldBe("slot_taken");
    }

    [Fact]
    public async Task A_closed_slot_answers_409_and_an_unknown_one_404()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        await app.WithDbAsync(db => db.Slots.Where(s => s.Id == slots[0]).ExecuteUpdateAsync(s => s.SetProperty(x => x.Closed, true)));
        using var client = app.PatientClient(await app.AddPatientAsync());

        using var closed = await client.BookAsync(slots[0]);
        closed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ReasonOf(closed)).ShouldBe("slot_taken");

        using var unknown = await client.BookAsync(Guid.CreateVersion7());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ReasonOf(unknown)).ShouldBe("slot_not_found");
    }

    [Fact]
    public async Task A_past_slot_is_refused_and_a_missing_slot_id_is_a_validation_error()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1, firstStartsAt: DateTimeOffset.UtcNow.AddHours(-2));
        using var client = app.PatientClient(await app.AddPatientAsync());

        using var past = await client.BookAsync(slots[0]);
        past.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReasonOf(past)).ShouldBe("slot_in_past");

        using var missing = await client.PostAsJsonAsync(Route, new { });
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.ReadJsonAsync())["errors"]!["slotId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unconfirmed_account_is_refused_with_what_to_do()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        using var client = app.PatientClient(await app.AddPatientAsync(HealthClaims.AccountLevels.Standard));

        using var response = await client.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.ReadJsonAsync();
        problem["reason"]!.GetValue<string>().ShouldBe("account_not_confirmed");
        problem["detail"]!.GetValue<string>().ShouldContain("Подтвердите");
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.SlotId == slots[0]))).ShouldBe(0);
    }

    [Fact]
    public async Task A_patient_unknown_to_the_service_is_refused_as_unconfirmed()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        using var client = app.PatientClient(Guid.CreateVersion7());

        using var response = await client.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReasonOf(response)).ShouldBe("account_not_confirmed");
    }

    [Fact]
    public async Task A_patient_without_an_oms_policy_is_refused()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        using var client = app.PatientClient(await app.AddPatientAsync(withOms: false));

        using var response = await client.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.ReadJsonAsync();
        problem["reason"]!.GetValue<string>().ShouldBe("oms_policy_missing");
        problem["detail"]!.GetValue<string>().ShouldContain("полис");
    }

    [Fact]
    public async Task A_policy_not_in_force_on_the_appointment_day_is_refused()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.WithDbAsync(db => db.KnownPatients.Where(p => p.PatientId == patientId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.OmsValidTo, today)));
        using var client = app.PatientClient(patientId);

        using var expired = await client.BookAsync(slots[0]);

        expired.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReasonOf(expired)).ShouldBe("oms_policy_not_valid");

        // A policy that begins only after the appointment day does not help either.
        await app.WithDbAsync(db => db.KnownPatients.Where(p => p.PatientId == patientId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.OmsValidTo, (DateOnly?)null).SetProperty(p => p.OmsValidFrom, today.AddDays(10))));
        using var future = await client.BookAsync(slots[0]);
        (await ReasonOf(future)).ShouldBe("oms_policy_not_valid");
    }

    [Fact]
    public async Task Moving_keeps_the_appointment_frees_the_old_slot_and_announces_the_previous_time()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.PatientClient(patientId);

        using var moved = await client.PostAsJsonAsync($"{Route}/{id}/move", new { slotId = slots[1] });

        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var body = await moved.ReadJsonAsync();
        body["id"]!.GetValue<Guid>().ShouldBe(id);
        body["status"]!.GetValue<string>().ShouldBe("booked");
        body["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));
        var history = body["history"]!.AsArray();
        history.Select(h => h!["kind"]!.GetValue<string>()).ShouldBe(["booked", "moved"]);
        history[1]!["fromStartsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        history[1]!["toStartsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));

        var events = await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId);
        events.Count.ShouldBe(2);
        events[1].GetProperty("appointmentId").GetGuid().ShouldBe(id);
        events[1].GetProperty("startsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));
        events[1].GetProperty("previousStartsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        events[1].GetProperty("changedBy").GetString().ShouldBe("patient");

        // The old slot is free for anyone again; the new one is not.
        await app.BookOkAsync(await app.AddPatientAsync(), slots[0]);
        using var again = await client.BookAsync(slots[1]);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.AccessEventsAsync(patientId)).ShouldContain(a => a.Action == "change" && a.ItemId == id);
    }

    [Fact]
    public async Task Moving_to_a_taken_slot_or_an_unknown_one_changes_nothing()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        await app.BookOkAsync(await app.AddPatientAsync(), slots[1]);
        using var client = app.PatientClient(patientId);

        using var taken = await client.PostAsJsonAsync($"{Route}/{id}/move", new { slotId = slots[1] });
        taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ReasonOf(taken)).ShouldBe("slot_taken");

        using var unknown = await client.PostAsJsonAsync($"{Route}/{id}/move", new { slotId = Guid.CreateVersion7() });
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another organization's slot is no slot for this appointment.
        var (_, _, elsewhere) = await app.AddDoctorWithSlotsAsync(slots: 1);
        using var otherOrg = await client.PostAsJsonAsync($"{Route}/{id}/move", new { slotId = elsewhere[0] });
        otherOrg.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));
        appointment.SlotId.ShouldBe(slots[0]);
        (await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_frees_the_slot_records_who_and_why_and_announces_it()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.PatientClient(patientId);

        using var cancelled = await client.PostAsJsonAsync($"{Route}/{id}/cancel", new { reason = "Заболел ребёнок" });

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync());
        var body = await cancelled.ReadJsonAsync();
        body["status"]!.GetValue<string>().ShouldBe("cancelled");
        body["cancelledBy"]!.GetValue<string>().ShouldBe("patient");
        body["cancelReason"]!.GetValue<string>().ShouldBe("Заболел ребёнок");
        body["cancelledAt"].ShouldNotBeNull();
        body["history"]!.AsArray().Select(h => h!["kind"]!.GetValue<string>()).ShouldBe(["booked", "cancelled"]);

        var evt = (await app.OutboxPayloadsAsync(typeof(AppointmentCancelled).FullName!, patientId)).ShouldHaveSingleItem();
        evt.GetProperty("appointmentId").GetGuid().ShouldBe(id);
        evt.GetProperty("organizationId").GetGuid().ShouldBe(organizationId);
        evt.GetProperty("reason").GetString().ShouldBe("Заболел ребёнок");
        evt.GetProperty("cancelledBy").GetString().ShouldBe("patient");
        evt.GetProperty("doctorName").GetString().ShouldBe("Петрова Анна Сергеевна");
        evt.GetProperty("specialty").GetString().ShouldBe("Терапевт");
        evt.GetProperty("startsAt").GetDateTimeOffset().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));

        // Free for someone else; and a cancelled appointment cannot be cancelled or moved again.
        await app.BookOkAsync(await app.AddPatientAsync(), slots[0]);
        using var twice = await client.PostAsync($"{Route}/{id}/cancel", null);
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ReasonOf(twice)).ShouldBe("appointment_not_changeable");
    }

    [Fact]
    public async Task Cancelling_without_a_body_is_allowed()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        using var client = app.PatientClient(patientId);

        using var cancelled = await client.PostAsync($"{Route}/{id}/cancel", null);

        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync());
        (await cancelled.ReadJsonAsync())["cancelReason"].ShouldBeNull();
    }

    [Fact]
    public async Task A_representative_with_the_manage_scope_books_for_the_patient()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        var representativeId = Guid.CreateVersion7();
        using var client = app.RepresentativeClient(patientId, representativeId);

        using var response = await client.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        body["history"]![0]!["byRole"]!.GetValue<string>().ShouldBe("representative");
        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.SlotId == slots[0]));
        appointment.PatientId.ShouldBe(patientId);
        appointment.BookedBy.ShouldBe(representativeId);
        using var list = await app.PatientClient(patientId).GetAsync(Route);
        (await list.ReadJsonAsync())["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_representative_without_the_manage_scope_is_refused()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        using var client = app.RepresentativeClient(patientId, Guid.CreateVersion7(), HealthClaims.Scopes.DelegatedRecords);

        using var response = await client.BookAsync(slots[0]);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.SlotId == slots[0]))).ShouldBe(0);
        (await app.AccessEventsAsync(patientId)).ShouldContain(a => a.Outcome == "refused");
    }

    [Fact]
    public async Task A_slot_held_by_a_waitlist_offer_for_someone_else_cannot_be_booked()
    {
        var (organizationId, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var holderId = await app.AddPatientAsync();
        var offerId = Guid.CreateVersion7();
        await app.WithDbAsync(async db =>
        {
            var entry = new WaitlistEntry
            {
                Id = Guid.CreateVersion7(), PatientId = holderId, OrganizationId = organizationId,
                SpecialtyCode = TestReferenceData.Therapist, WantedBefore = DateTimeOffset.UtcNow.AddDays(5),
                Status = WaitlistStatuses.Offered, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = holderId.ToString(),
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.WaitlistEntries.Add(entry);
            db.SlotOffers.Add(new SlotOffer
            {
                Id = offerId, EntryId = entry.Id, PatientId = holderId, SlotId = slots[0],
                ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(30), Status = SlotOfferStatuses.Open, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            await db.Slots.Where(s => s.Id == slots[0]).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.HeldForOfferId, offerId).SetProperty(x => x.HeldUntil, DateTimeOffset.UtcNow.AddMinutes(30)));
        });

        using var other = app.PatientClient(await app.AddPatientAsync());
        using var refused = await other.BookAsync(slots[0]);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // The patient it is held for may take it.
        await app.BookOkAsync(holderId, slots[0]);
    }
}
