using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class SlotSearchTests(AppointmentsApp app)
{
    private const string Route = "/api/v1/appointments/slots";

    private static async Task<JsonObject> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static List<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();

    private async Task<JsonObject> SearchAsync(Guid patientId, string query)
    {
        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync($"{Route}?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Body(response);
    }

    [Fact]
    public async Task A_slot_shows_its_doctor_organization_and_time()
    {
        var (organizationId, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 1);

        var page = await SearchAsync(Guid.CreateVersion7(), $"doctorId={doctorId}");

        var item = page["items"]!.AsArray().ShouldHaveSingleItem()!;
        item["id"]!.GetValue<Guid>().ShouldBe(slotIds[0]);
        item["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));
        item["endsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 20));
        item["telemedicine"]!.GetValue<bool>().ShouldBeFalse();
        item["room"]!.GetValue<string>().ShouldBe("101");
        item["doctor"]!["id"]!.GetValue<Guid>().ShouldBe(doctorId);
        item["doctor"]!["name"]!.GetValue<string>().ShouldBe("Петрова Анна Сергеевна");
        item["doctor"]!["specialty"]!.GetValue<string>().ShouldBe("therapist");
        item["doctor"]!["specialtyName"]!.GetValue<string>().ShouldBe("Терапевт");
        item["organization"]!["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        item["organization"]!["phone"]!.GetValue<string>().ShouldBe("+74951234567");
        item["department"].ShouldBeNull();
        page["nextCursor"].ShouldBeNull();
    }

    [Fact]
    public async Task Filters_by_specialty_organization_telemedicine_and_period()
    {
        var (organizationId, therapist, therapistSlots) = await app.AddDoctorWithSlotsAsync(slots: 3);
        var (_, surgeon, surgeonSlots) = await app.AddDoctorWithSlotsAsync(slots: 2, specialty: "surgeon",
            organizationId: organizationId);
        var (_, _, teleSlots) = await app.AddDoctorWithSlotsAsync(slots: 2, telemedicine: true, organizationId: organizationId,
            firstStartsAt: TestReferenceData.TomorrowAtMoscow(9, 0).AddDays(1));
        var (_, _, elsewhere) = await app.AddDoctorWithSlotsAsync(slots: 1, specialty: "surgeon");
        var patientId = Guid.CreateVersion7();

        Ids(await SearchAsync(patientId, $"organizationId={organizationId}"))
            .ShouldBe([.. therapistSlots, .. surgeonSlots, .. teleSlots], ignoreOrder: true);
        Ids(await SearchAsync(patientId, $"organizationId={organizationId}&specialty=surgeon")).ShouldBe(surgeonSlots);
        Ids(await SearchAsync(patientId, $"specialty=surgeon&doctorId={surgeon}")).ShouldBe(surgeonSlots);
        Ids(await SearchAsync(patientId, $"doctorId={therapist}")).ShouldBe(therapistSlots);
        Ids(await SearchAsync(patientId, $"organizationId={organizationId}&telemedicine=true")).ShouldBe(teleSlots);
        var tele = (await SearchAsync(patientId, $"organizationId={organizationId}&telemedicine=true"))["items"]![0]!;
        tele["room"].ShouldBeNull();

        // A Moscow date stands for the whole day; an instant is exact.
        var dayAfterTomorrow = MoscowTime.DateOf(TestReferenceData.TomorrowAtMoscow(9, 0)).AddDays(1);
        Ids(await SearchAsync(patientId, $"organizationId={organizationId}&from={dayAfterTomorrow:yyyy-MM-dd}")).ShouldBe(teleSlots);
        Ids(await SearchAsync(patientId, $"organizationId={organizationId}&to={dayAfterTomorrow.AddDays(-1):yyyy-MM-dd}&specialty=therapist"))
            .ShouldBe(therapistSlots);
        var at920 = Uri.EscapeDataString(TestReferenceData.TomorrowAtMoscow(9, 20).ToString("O"));
        Ids(await SearchAsync(patientId, $"doctorId={therapist}&from={at920}")).ShouldBe(therapistSlots.Skip(1));
        Ids(await SearchAsync(patientId, $"doctorId={therapist}&to={at920}")).ShouldBe(therapistSlots.Take(1));

        // The other organization's surgeon is found by specialty alone.
        var anySurgeon = await SearchAsync(patientId, $"specialty=surgeon&limit=100&from={dayAfterTomorrow.AddDays(-1):yyyy-MM-dd}&to={dayAfterTomorrow.AddDays(-1):yyyy-MM-dd}");
        Ids(anySurgeon).ShouldContain(elsewhere[0]);
        anySurgeon["items"]!.AsArray().ShouldAllBe(i => i!["doctor"]!["specialty"]!.GetValue<string>() == "surgeon");
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_repeating_or_skipping()
    {
        var (_, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 5);
        var patientId = Guid.CreateVersion7();

        var first = await SearchAsync(patientId, $"doctorId={doctorId}&limit=2");
        var cursor1 = first["nextCursor"]!.GetValue<string>();
        var second = await SearchAsync(patientId, $"doctorId={doctorId}&limit=2&cursor={Uri.EscapeDataString(cursor1)}");
        var cursor2 = second["nextCursor"]!.GetValue<string>();
        var third = await SearchAsync(patientId, $"doctorId={doctorId}&limit=2&cursor={Uri.EscapeDataString(cursor2)}");

        Ids(first).ShouldBe(slotIds.Take(2));
        Ids(second).ShouldBe(slotIds.Skip(2).Take(2));
        Ids(third).ShouldBe(slotIds.Skip(4));
        third["nextCursor"].ShouldBeNull();

        // Exactly a page left: no empty page after it.
        var exact = await SearchAsync(patientId, $"doctorId={doctorId}&limit=5");
        Ids(exact).Count.ShouldBe(5);
        exact["nextCursor"].ShouldBeNull();
    }

    [Fact]
    public async Task Booked_closed_past_and_held_for_someone_else_slots_are_hidden()
    {
        var (organizationId, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 6);
        var (_, pastDoctor, pastSlots) = await app.AddDoctorWithSlotsAsync(slots: 1, organizationId: organizationId,
            firstStartsAt: DateTimeOffset.UtcNow.AddHours(-2));
        var patientId = Guid.CreateVersion7();
        var otherPatient = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;

        await app.WithDbAsync(async db =>
        {
            var slots = await db.Slots.Where(s => s.DoctorId == doctorId).OrderBy(s => s.StartsAt).ToListAsync();
            db.Appointments.Add(NewAppointment(slots[0], otherPatient, AppointmentStatuses.Booked, now));
            // A cancelled appointment frees its slot.
            db.Appointments.Add(NewAppointment(slots[1], otherPatient, AppointmentStatuses.Cancelled, now));
            slots[2].Closed = true;
            // Held for another patient by an open offer; held for this patient (visible to them only).
            var othersOffer = NewOffer(slots[3], otherPatient, now);
            var ownOffer = NewOffer(slots[4], patientId, now);
            db.SlotOffers.AddRange(othersOffer, ownOffer);
            slots[3].HeldForOfferId = othersOffer.Id;
            slots[3].HeldUntil = othersOffer.ExpiresAt;
            slots[4].HeldForOfferId = ownOffer.Id;
            slots[4].HeldUntil = ownOffer.ExpiresAt;
            await db.SaveChangesAsync();
        });

        Ids(await SearchAsync(patientId, $"doctorId={doctorId}")).ShouldBe([slotIds[1], slotIds[4], slotIds[5]]);
        Ids(await SearchAsync(otherPatient, $"doctorId={doctorId}")).ShouldBe([slotIds[1], slotIds[3], slotIds[5]]);
        Ids(await SearchAsync(patientId, $"doctorId={pastDoctor}")).ShouldBeEmpty();
        pastSlots.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Slots_of_a_withdrawn_doctor_are_not_offered()
    {
        var (_, doctorId, _) = await app.AddDoctorWithSlotsAsync(slots: 2);
        await app.WithDbAsync(db => db.Doctors.Where(d => d.Id == doctorId)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Active, false)));

        Ids(await SearchAsync(Guid.CreateVersion7(), $"doctorId={doctorId}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Wrong_filters_are_a_400_naming_the_field()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());

        foreach (var (query, field) in new[]
                 {
                     ("", "specialty"),
                     ("specialty=astrologer", "specialty"),
                     ("specialty=therapist&limit=101", "limit"),
                     ("specialty=therapist&limit=0", "limit"),
                     ("specialty=therapist&limit=many", "limit"),
                     ("doctorId=42", "doctorId"),
                     ("organizationId=x", "organizationId"),
                     ("specialty=therapist&telemedicine=yes", "telemedicine"),
                     ("specialty=therapist&cursor=garbage", "cursor"),
                     ("specialty=therapist&from=tomorrow", "from"),
                     ("specialty=therapist&from=2026-12-10&to=2026-12-01", "to"),
                 })
        {
            using var response = await client.GetAsync($"{Route}?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            (await Body(response))["errors"]![field].ShouldNotBeNull(query);
        }
    }

    [Fact]
    public async Task Only_a_patient_or_a_representative_with_the_appointments_scope_may_search()
    {
        var (organizationId, doctorId, _) = await app.AddDoctorWithSlotsAsync(slots: 1);

        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);
        using var asDoctor = await doctor.GetAsync($"{Route}?doctorId={doctorId}");
        asDoctor.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var organization = app.OrganizationClient(organizationId);
        using var asOrganization = await organization.GetAsync($"{Route}?doctorId={doctorId}");
        asOrganization.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var anonymous = app.CreateClient();
        using var asAnonymous = await anonymous.GetAsync($"{Route}?doctorId={doctorId}");
        asAnonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_representative_may_search_with_the_appointments_scope_only()
    {
        var (_, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 1);
        HttpClient Representative(string scope) => app.CreateClient(app.Issuer.CreateToken(Guid.CreateVersion7().ToString(),
            ["patient"], [scope], new Dictionary<string, object>
            {
                ["act"] = new Dictionary<string, object> { ["sub"] = Guid.CreateVersion7().ToString() },
                ["del"] = Guid.CreateVersion7().ToString(),
            }));

        using var manager = Representative("health.delegated.appointments");
        using var allowed = await manager.GetAsync($"{Route}?doctorId={doctorId}");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync());
        Ids(await Body(allowed)).ShouldBe(slotIds);

        using var reader = Representative("health.delegated.records");
        using var refused = await reader.GetAsync($"{Route}?doctorId={doctorId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static Appointment NewAppointment(Slot slot, Guid patientId, string status, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        PatientId = patientId,
        SlotId = slot.Id,
        OrganizationId = slot.OrganizationId,
        DoctorId = slot.DoctorId,
        StartsAt = slot.StartsAt,
        EndsAt = slot.EndsAt,
        Telemedicine = slot.Telemedicine,
        Status = status,
        BookedBy = patientId,
        BookedAt = now,
        UpdatedAt = now,
    };

    private static SlotOffer NewOffer(Slot slot, Guid patientId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        EntryId = Guid.CreateVersion7(),
        PatientId = patientId,
        SlotId = slot.Id,
        ExpiresAt = now.AddHours(1),
        Status = SlotOfferStatuses.Open,
        CreatedAt = now,
    };
}
