using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class DoctorDayTests(AppointmentsApp app)
{
    private const string Route = "/api/v1/appointments/doctor/day";

    private static async Task<JsonObject> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static string Tomorrow => MoscowTime.DateOf(TestReferenceData.TomorrowAtMoscow(9, 0)).ToString("yyyy-MM-dd");

    /// <summary>A doctor with an account, two booked appointments tomorrow (09:00 and 09:40) and one cancelled (09:20).</summary>
    private async Task<(Guid OrganizationId, Guid AccountId, Guid DoctorId, Guid[] Patients, Guid[] Appointments)> DoctorWithDayAsync()
    {
        var accountId = Guid.CreateVersion7();
        var (organizationId, doctorId, slotIds) = await app.AddDoctorWithSlotsAsync(slots: 3, doctorAccountId: accountId);
        var patients = new[] { await app.AddPatientAsync(), await app.AddPatientAsync(), await app.AddPatientAsync() };
        var appointments = new Guid[3];
        await app.WithDbAsync(async db =>
        {
            var slots = await db.Slots.Where(s => slotIds.Contains(s.Id)).OrderBy(s => s.StartsAt).ToListAsync();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < 3; i++)
            {
                var appointment = new Appointment
                {
                    Id = Guid.CreateVersion7(), PatientId = patients[i], SlotId = slots[i].Id, OrganizationId = organizationId,
                    DoctorId = doctorId, StartsAt = slots[i].StartsAt, EndsAt = slots[i].EndsAt,
                    Status = i == 1 ? AppointmentStatuses.Cancelled : AppointmentStatuses.Booked,
                    BookedBy = patients[i], BookedAt = now, UpdatedAt = now,
                };
                db.Appointments.Add(appointment);
                appointments[i] = appointment.Id;
            }

            await db.SaveChangesAsync();
        });
        return (organizationId, accountId, doctorId, patients, appointments);
    }

    [Fact]
    public async Task A_doctor_sees_their_own_day_with_patients_names_and_each_patient_is_told_of_the_access()
    {
        var (organizationId, accountId, doctorId, patients, appointments) = await DoctorWithDayAsync();
        using var client = app.DoctorClient(accountId, organizationId);

        using var response = await client.GetAsync($"{Route}?date={Tomorrow}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await Body(response);
        body["date"]!.GetValue<string>().ShouldBe(Tomorrow);
        body["doctorId"]!.GetValue<Guid>().ShouldBe(doctorId);
        var items = body["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe(appointments);
        items.Select(i => i!["time"]!.GetValue<string>()).ShouldBe(["09:00", "09:20", "09:40"]);
        items.Select(i => i!["status"]!.GetValue<string>()).ShouldBe(["booked", "cancelled", "booked"]);
        var first = items[0]!;
        first["patient"]!["id"]!.GetValue<Guid>().ShouldBe(patients[0]);
        first["patient"]!["name"]!.GetValue<string>().ShouldBe("Иванова Мария Петровна");
        first["patient"]!["birthDate"]!.GetValue<string>().ShouldBe("1985-04-12");
        first["room"]!.GetValue<string>().ShouldBe("101");
        first["telemedicine"]!.GetValue<bool>().ShouldBeFalse();
        first["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(TestReferenceData.TomorrowAtMoscow(9, 0));

        foreach (var patientId in patients)
        {
            var access = (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId)).ShouldHaveSingleItem();
            access.GetProperty("section").GetString().ShouldBe("appointments");
            access.GetProperty("action").GetString().ShouldBe(AccessActions.Read);
            access.GetProperty("actorRole").GetString().ShouldBe(AccessActorRoles.Doctor);
            access.GetProperty("actorId").GetGuid().ShouldBe(accountId);
            access.GetProperty("organizationId").GetGuid().ShouldBe(organizationId);
            access.GetProperty("purpose").GetString().ShouldBe("оказание медицинской помощи");
        }
    }

    [Fact]
    public async Task Another_doctor_of_the_same_organization_sees_only_their_own_day()
    {
        var (organizationId, _, _, patients, _) = await DoctorWithDayAsync();
        var otherAccount = Guid.CreateVersion7();
        var (_, otherDoctorId, _) = await app.AddDoctorWithSlotsAsync(slots: 1, organizationId: organizationId,
            doctorAccountId: otherAccount);
        using var client = app.DoctorClient(otherAccount, organizationId);

        using var response = await client.GetAsync($"{Route}?date={Tomorrow}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await Body(response);
        body["doctorId"]!.GetValue<Guid>().ShouldBe(otherDoctorId);
        body["items"]!.AsArray().ShouldBeEmpty();
        foreach (var patientId in patients)
        {
            (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId)).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task A_doctor_of_another_organization_or_without_a_doctor_record_gets_404()
    {
        var (_, accountId, _, patients, _) = await DoctorWithDayAsync();

        // The same account under another organization's token.
        using var elsewhere = app.DoctorClient(accountId, Guid.CreateVersion7());
        using var fromElsewhere = await elsewhere.GetAsync($"{Route}?date={Tomorrow}");
        fromElsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fromElsewhere.Content.ReadAsStringAsync()).ShouldNotContain("Иванова");

        using var stranger = app.DoctorClient(Guid.CreateVersion7(), Guid.CreateVersion7());
        using var fromStranger = await stranger.GetAsync($"{Route}?date={Tomorrow}");
        fromStranger.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        foreach (var patientId in patients)
        {
            (await app.OutboxPayloadsAsync(typeof(PatientDataAccessed).FullName!, patientId)).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Patients_and_organizations_may_not_open_a_doctors_day_and_a_bad_date_is_a_400()
    {
        var (organizationId, accountId, _, _, _) = await DoctorWithDayAsync();

        using var patient = app.PatientClient(Guid.CreateVersion7());
        using var asPatient = await patient.GetAsync($"{Route}?date={Tomorrow}");
        asPatient.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var organization = app.OrganizationClient(organizationId);
        using var asOrganization = await organization.GetAsync($"{Route}?date={Tomorrow}");
        asOrganization.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var doctor = app.DoctorClient(accountId, organizationId);
        using var badDate = await doctor.GetAsync($"{Route}?date=05.12.2026");
        badDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Body(badDate))["errors"]!["date"].ShouldNotBeNull();
    }
}
