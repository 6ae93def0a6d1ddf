using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.Contracts.Appointments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class WaitlistTests(AppointmentsApp app)
{
    private const string Waitlist = "/api/v1/appointments/waitlist";
    private const string Offers = "/api/v1/appointments/offers";

    private static readonly string Offered = typeof(WaitlistSlotOffered).FullName!;

    /// <summary>An organization with a therapist who has one slot three days ahead: the slot a cancellation frees.</summary>
    private async Task<(Guid OrganizationId, Guid DoctorId, Guid SlotId, DateTimeOffset StartsAt)> FreedSlotAsync(int slots = 1)
    {
        var startsAt = TestReferenceData.TomorrowAtMoscow(10, 0).AddDays(2);
        var (organizationId, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: slots, firstStartsAt: startsAt);
        return (organizationId, doctorId, slotIds[0], startsAt);
    }

    private static async Task<Guid> JoinAsync(HttpClient patient, Guid organizationId, DateTimeOffset wantedBefore,
        Guid? doctorId = null, string specialty = TestReferenceData.Therapist, Guid? appointmentId = null)
    {
        using var response = await patient.PostAsJsonAsync(Waitlist,
            new { organizationId, specialty, doctorId, appointmentId, wantedBefore });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await AttachmentTests.ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    /// <summary>What the booking's cancel or move does when it frees a slot.</summary>
    private Task<SlotOffer?> FreeAsync(Guid slotId, DateTimeOffset? now = null) => app.WithDbAsync(async db =>
    {
        var slot = await db.Slots.SingleAsync(s => s.Id == slotId);
        var offer = await WaitlistOffers.OfferFreedSlotAsync(db, slot, now ?? DateTimeOffset.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        return offer;
    });

    private Task<string> EntryStatusAsync(Guid entryId) =>
        app.WithDbAsync(db => db.WaitlistEntries.Where(e => e.Id == entryId).Select(e => e.Status).SingleAsync());

    private static async Task<JsonArray> OffersOfAsync(HttpClient patient)
    {
        using var response = await patient.GetAsync(Offers);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await AttachmentTests.ReadAsync(response))["items"]!.AsArray();
    }

    [Fact]
    public async Task A_patient_joins_lists_and_leaves_the_waitlist_and_bad_entries_are_refused()
    {
        var (organizationId, doctorId, _, startsAt) = await FreedSlotAsync();
        var patientId = await app.AddPatientAsync();
        using var patient = app.PatientClient(patientId);

        var entryId = await JoinAsync(patient, organizationId, startsAt.AddDays(7), doctorId);
        using var duplicate = await patient.PostAsJsonAsync(Waitlist,
            new { organizationId, specialty = "therapist", doctorId, wantedBefore = startsAt.AddDays(3) });
        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AttachmentTests.ReadAsync(duplicate))["reason"]!.GetValue<string>().ShouldBe("already_waiting");

        using var invalid = await patient.PostAsJsonAsync(Waitlist, new
        {
            organizationId = Guid.CreateVersion7(),
            specialty = "astrologer",
            doctorId,
            appointmentId = Guid.CreateVersion7(),
            wantedBefore = DateTimeOffset.UtcNow.AddHours(-1),
        });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AttachmentTests.ReadAsync(invalid))["errors"]!.AsObject().Select(e => e.Key)
            .ShouldBe(["organizationId", "specialty", "appointmentId", "wantedBefore"], ignoreOrder: true);

        using var wrongSpecialty = await patient.PostAsJsonAsync(Waitlist,
            new { organizationId, specialty = "surgeon", doctorId, wantedBefore = startsAt.AddDays(3) });
        wrongSpecialty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AttachmentTests.ReadAsync(wrongSpecialty))["errors"]!.AsObject().ShouldContainKey("doctorId");

        using var list = await patient.GetAsync(Waitlist);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var item = (await AttachmentTests.ReadAsync(list))["items"]!.AsArray().ShouldHaveSingleItem()!;
        item["id"]!.GetValue<Guid>().ShouldBe(entryId);
        item["status"]!.GetValue<string>().ShouldBe("waiting");
        item["specialtyName"]!.GetValue<string>().ShouldBe("Терапевт");
        item["doctor"]!["name"]!.GetValue<string>().ShouldBe("Петрова Анна Сергеевна");
        item["organization"]!["name"]!.GetValue<string>().ShouldBe("ГБУЗ «Городская поликлиника № 1»");

        // Someone else's entry answers like a missing one and stays as it was.
        using var stranger = app.PatientClient(await app.AddPatientAsync());
        (await stranger.DeleteAsync($"{Waitlist}/{entryId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AttachmentTests.ReadAsync(await stranger.GetAsync(Waitlist)))["items"]!.AsArray().ShouldBeEmpty();
        (await EntryStatusAsync(entryId)).ShouldBe("waiting");

        (await patient.DeleteAsync($"{Waitlist}/{entryId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await patient.DeleteAsync($"{Waitlist}/{entryId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await EntryStatusAsync(entryId)).ShouldBe("cancelled");
        using var cancelled = await patient.GetAsync($"{Waitlist}?status=cancelled");
        (await AttachmentTests.ReadAsync(cancelled))["items"]!.AsArray().ShouldHaveSingleItem();

        // A doctor's token manages nobody's waitlist.
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);
        (await doctor.GetAsync(Waitlist)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_freed_slot_is_offered_to_the_first_matching_entry_only()
    {
        var (organizationId, doctorId, slotId, startsAt) = await FreedSlotAsync();
        using var otherSpecialty = app.PatientClient(await app.AddPatientAsync());
        using var tooLate = app.PatientClient(await app.AddPatientAsync());
        using var otherDoctor = app.PatientClient(await app.AddPatientAsync());
        var firstId = await app.AddPatientAsync();
        using var first = app.PatientClient(firstId);
        var secondId = await app.AddPatientAsync();
        using var second = app.PatientClient(secondId);

        var (_, anotherDoctorId, _) = await app.AddDoctorWithSlotsAsync(slots: 0, organizationId: organizationId);
        await JoinAsync(otherSpecialty, organizationId, startsAt.AddDays(5), specialty: "surgeon");
        await JoinAsync(tooLate, organizationId, startsAt.AddMinutes(-10));
        await JoinAsync(otherDoctor, organizationId, startsAt.AddDays(5), anotherDoctorId);
        var firstEntry = await JoinAsync(first, organizationId, startsAt.AddDays(5));
        var secondEntry = await JoinAsync(second, organizationId, startsAt.AddDays(5), doctorId);

        var offer = await FreeAsync(slotId);
        offer.ShouldNotBeNull();
        offer.EntryId.ShouldBe(firstEntry);
        (await EntryStatusAsync(firstEntry)).ShouldBe("offered");
        (await EntryStatusAsync(secondEntry)).ShouldBe("waiting");

        var offered = (await OffersOfAsync(first)).ShouldHaveSingleItem()!;
        offered["id"]!.GetValue<Guid>().ShouldBe(offer.Id);
        offered["status"]!.GetValue<string>().ShouldBe("open");
        offered["slot"]!["id"]!.GetValue<Guid>().ShouldBe(slotId);
        offered["doctor"]!["id"]!.GetValue<Guid>().ShouldBe(doctorId);
        offered["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        var expiresAt = offered["expiresAt"]!.GetValue<DateTimeOffset>();
        expiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(25), DateTimeOffset.UtcNow.AddMinutes(31));
        foreach (var other in new[] { otherSpecialty, tooLate, otherDoctor, second })
        {
            (await OffersOfAsync(other)).ShouldBeEmpty();
        }

        var slot = await app.WithDbAsync(db => db.Slots.AsNoTracking().SingleAsync(s => s.Id == slotId));
        slot.HeldForOfferId.ShouldBe(offer.Id);
        var evt = (await app.OutboxPayloadsAsync(Offered, firstId)).ShouldHaveSingleItem();
        evt.GetProperty("offerId").GetGuid().ShouldBe(offer.Id);
        evt.GetProperty("specialty").GetString().ShouldBe("Терапевт");
        evt.GetProperty("doctorName").GetString().ShouldBe("Петрова Анна Сергеевна");
        (await app.OutboxPayloadsAsync(Offered, secondId)).ShouldBeEmpty();

        // Freed again while held: nobody else gets it meanwhile.
        (await FreeAsync(slotId)).ShouldBeNull();
        (await OffersOfAsync(second)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expired_offer_passes_the_slot_to_the_next_patient_who_waits()
    {
        var (organizationId, _, slotId, startsAt) = await FreedSlotAsync();
        using var first = app.PatientClient(await app.AddPatientAsync());
        var secondId = await app.AddPatientAsync();
        using var second = app.PatientClient(secondId);
        var firstEntry = await JoinAsync(first, organizationId, startsAt.AddDays(5));
        var secondEntry = await JoinAsync(second, organizationId, startsAt.AddDays(5));
        var offer = (await FreeAsync(slotId))!;

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(29));
        await app.WithDbAsync(db => WaitlistOffers.SweepAsync(db, time));
        (await OffersOfAsync(second)).ShouldBeEmpty();

        time.Advance(TimeSpan.FromMinutes(2));
        await app.WithDbAsync(db => WaitlistOffers.SweepAsync(db, time));

        (await OffersOfAsync(first)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("expired");
        (await EntryStatusAsync(firstEntry)).ShouldBe("waiting");
        var next = (await OffersOfAsync(second)).ShouldHaveSingleItem()!;
        next["status"]!.GetValue<string>().ShouldBe("open");
        next["slot"]!["id"]!.GetValue<Guid>().ShouldBe(slotId);
        (await EntryStatusAsync(secondEntry)).ShouldBe("offered");
        (await app.OutboxPayloadsAsync(Offered, secondId)).ShouldHaveSingleItem();
        var slot = await app.WithDbAsync(db => db.Slots.AsNoTracking().SingleAsync(s => s.Id == slotId));
        slot.HeldForOfferId.ShouldBe(next["id"]!.GetValue<Guid>());

        // Too late to accept the expired one.
        using var late = await first.PostAsync($"{Offers}/{offer.Id}/accept", null);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AttachmentTests.ReadAsync(late))["reason"]!.GetValue<string>().ShouldBe("offer_expired");
    }

    [Fact]
    public async Task An_acceptance_whose_booking_never_finished_is_given_up_and_the_slot_passes_on()
    {
        var (organizationId, _, slotId, startsAt) = await FreedSlotAsync();
        using var first = app.PatientClient(await app.AddPatientAsync());
        var secondId = await app.AddPatientAsync();
        using var second = app.PatientClient(secondId);
        var firstEntry = await JoinAsync(first, organizationId, startsAt.AddDays(5));
        await JoinAsync(second, organizationId, startsAt.AddDays(5));
        var offer = (await FreeAsync(slotId))!;
        // The accept claimed the offer, then its process stopped before booking.
        await app.WithDbAsync(db => db.SlotOffers.Where(o => o.Id == offer.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, "accepted")));

        var time = new FakeTimeProvider(offer.ExpiresAt + TimeSpan.FromMinutes(1));
        await app.WithDbAsync(db => WaitlistOffers.SweepAsync(db, time));
        (await OffersOfAsync(second)).ShouldBeEmpty();

        time.Advance(WaitlistOffers.StaleAcceptance);
        await app.WithDbAsync(db => WaitlistOffers.SweepAsync(db, time));
        (await OffersOfAsync(first)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("expired");
        (await EntryStatusAsync(firstEntry)).ShouldBe("waiting");
        (await OffersOfAsync(second)).ShouldHaveSingleItem()!["slot"]!["id"]!.GetValue<Guid>().ShouldBe(slotId);
    }

    [Fact]
    public async Task A_declined_offer_goes_to_the_next_patient_and_others_cannot_answer_it()
    {
        var (organizationId, _, slotId, startsAt) = await FreedSlotAsync();
        using var first = app.PatientClient(await app.AddPatientAsync());
        using var second = app.PatientClient(await app.AddPatientAsync());
        using var third = app.PatientClient(await app.AddPatientAsync());
        var firstEntry = await JoinAsync(first, organizationId, startsAt.AddDays(5));
        await JoinAsync(second, organizationId, startsAt.AddDays(5));
        var thirdEntry = await JoinAsync(third, organizationId, startsAt.AddDays(5));
        var offer = (await FreeAsync(slotId))!;

        // Another patient's token: as if the offer did not exist, and it stays open.
        (await second.PostAsync($"{Offers}/{offer.Id}/decline", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.PostAsync($"{Offers}/{offer.Id}/accept", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await OffersOfAsync(first)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("open");

        using var decline = await first.PostAsync($"{Offers}/{offer.Id}/decline", null);
        decline.StatusCode.ShouldBe(HttpStatusCode.OK, await decline.Content.ReadAsStringAsync());
        (await AttachmentTests.ReadAsync(decline))["status"]!.GetValue<string>().ShouldBe("declined");
        (await first.PostAsync($"{Offers}/{offer.Id}/decline", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        // The first patient keeps waiting for another slot.
        (await EntryStatusAsync(firstEntry)).ShouldBe("waiting");

        var secondOffer = (await OffersOfAsync(second)).ShouldHaveSingleItem()!;
        secondOffer["status"]!.GetValue<string>().ShouldBe("open");

        // Leaving the waitlist while holding an offer passes it on as well.
        var secondEntry = secondOffer["entryId"]!.GetValue<Guid>();
        (await second.DeleteAsync($"{Waitlist}/{secondEntry}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await OffersOfAsync(second)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("declined");
        (await OffersOfAsync(third)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("open");
        (await EntryStatusAsync(thirdEntry)).ShouldBe("offered");
        // The slot never comes back to whoever let it pass.
        (await OffersOfAsync(first)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Accepting_an_offer_books_the_held_slot()
    {
        var (organizationId, _, slotId, startsAt) = await FreedSlotAsync();
        var patientId = await app.AddPatientAsync();
        using var patient = app.PatientClient(patientId);
        var entryId = await JoinAsync(patient, organizationId, startsAt.AddDays(5));
        var offer = (await FreeAsync(slotId))!;

        // Held for this patient: nobody else can book it meanwhile.
        using var otherPatient = app.PatientClient(await app.AddPatientAsync());
        (await otherPatient.PostAsync($"{Offers}/{offer.Id}/accept", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var accept = await patient.PostAsync($"{Offers}/{offer.Id}/accept", null);
        accept.StatusCode.ShouldBe(HttpStatusCode.OK, await accept.Content.ReadAsStringAsync());
        var body = await AttachmentTests.ReadAsync(accept);
        body["offer"]!["status"]!.GetValue<string>().ShouldBe("accepted");
        var appointmentId = body["appointment"]!["id"]!.GetValue<Guid>();
        body["appointment"]!["status"]!.GetValue<string>().ShouldBe("booked");

        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == appointmentId));
        appointment.PatientId.ShouldBe(patientId);
        appointment.SlotId.ShouldBe(slotId);
        (await EntryStatusAsync(entryId)).ShouldBe("fulfilled");
        (await app.WithDbAsync(db => db.Slots.Where(s => s.Id == slotId).Select(s => s.HeldForOfferId).SingleAsync())).ShouldBeNull();
        (await patient.PostAsync($"{Offers}/{offer.Id}/accept", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.OutboxPayloadsAsync(typeof(AppointmentBooked).FullName!, patientId)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Accepting_an_offer_whose_slot_is_gone_ends_it_and_the_patient_waits_on()
    {
        var (organizationId, _, slotId, startsAt) = await FreedSlotAsync();
        using var patient = app.PatientClient(await app.AddPatientAsync());
        var entryId = await JoinAsync(patient, organizationId, startsAt.AddDays(5));
        var offer = (await FreeAsync(slotId))!;
        // The organization withdrew the slot meanwhile (a doctor's sick day).
        await app.WithDbAsync(db => db.Slots.Where(s => s.Id == slotId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Closed, true)));

        using var accept = await patient.PostAsync($"{Offers}/{offer.Id}/accept", null);
        accept.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AttachmentTests.ReadAsync(accept))["reason"]!.GetValue<string>().ShouldBe("slot_taken");
        (await OffersOfAsync(patient)).ShouldHaveSingleItem()!["status"]!.GetValue<string>().ShouldBe("expired");
        (await EntryStatusAsync(entryId)).ShouldBe("waiting");
    }

    [Fact]
    public async Task Accepting_an_offer_for_an_entry_with_an_appointment_moves_it_earlier()
    {
        var startsAt = TestReferenceData.TomorrowAtMoscow(9, 0).AddDays(2);
        var (organizationId, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 1, firstStartsAt: startsAt);
        var (_, _, laterSlots) = await app.AddDoctorWithSlotsAsync(slots: 1, organizationId: organizationId,
            firstStartsAt: startsAt.AddDays(10));
        var patientId = await app.AddPatientAsync();
        BookingResult booked;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            booked = await scope.ServiceProvider.GetRequiredService<AppointmentBooking>().BookAsync(patientId, laterSlots[0],
                new BookingActor(patientId.ToString(), "patient"), null, CancellationToken.None);
        }

        booked.Outcome.ShouldBe(BookingOutcome.Done);
        var appointmentId = booked.Appointment!.Id;

        using var patient = app.PatientClient(patientId);
        await JoinAsync(patient, organizationId, startsAt.AddDays(5), appointmentId: appointmentId);
        var offer = (await FreeAsync(slotIds[0]))!;
        offer.PatientId.ShouldBe(patientId);

        using var accept = await patient.PostAsync($"{Offers}/{offer.Id}/accept", null);
        accept.StatusCode.ShouldBe(HttpStatusCode.OK, await accept.Content.ReadAsStringAsync());
        (await AttachmentTests.ReadAsync(accept))["appointment"]!["id"]!.GetValue<Guid>().ShouldBe(appointmentId);
        var moved = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == appointmentId));
        moved.SlotId.ShouldBe(slotIds[0]);
        moved.DoctorId.ShouldBe(doctorId);
        moved.StartsAt.ShouldBe(startsAt);
    }
}
