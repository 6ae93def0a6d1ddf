using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class ReferenceDataTests(AppointmentsApp app)
{
    private const string Org = "/api/v1/appointments/org";

    public static object Profile(string name = "ГБУЗ «Городская поликлиника № 7»") => new
    {
        name,
        kind = "polyclinic",
        address = "г. Москва, ул. Строителей, д. 7",
        phone = "+74957654321",
        email = "gp7@zdrav.mos.ru",
        website = "https://gp7.mos.ru",
    };

    /// <summary>A Monday at least two days ahead (Moscow), so that every slot of the schedule is in the future.</summary>
    private static DateOnly NextMonday()
    {
        var date = MoscowTime.DateOf(DateTimeOffset.UtcNow).AddDays(2);
        while (date.DayOfWeek != DayOfWeek.Monday) date = date.AddDays(1);
        return date;
    }

    private static async Task<JsonObject> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static async Task<(Guid OrganizationId, HttpClient Client)> PublishedOrganizationAsync(AppointmentsApp app)
    {
        var organizationId = Guid.CreateVersion7();
        var client = app.OrganizationClient(organizationId);
        using var profile = await client.PutAsJsonAsync($"{Org}/profile", Profile());
        profile.StatusCode.ShouldBe(HttpStatusCode.OK, await profile.Content.ReadAsStringAsync());
        return (organizationId, client);
    }

    [Fact]
    public async Task Profile_departments_and_doctors_are_upserted_by_the_organizations_ids_and_shown_to_patients()
    {
        var organizationId = Guid.CreateVersion7();
        var unique = organizationId.ToString("N")[..8];
        using var org = app.OrganizationClient(organizationId);

        using var created = await org.PutAsJsonAsync($"{Org}/profile", Profile($"Поликлиника {unique}"));
        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        (await Body(created))["id"]!.GetValue<Guid>().ShouldBe(organizationId);
        using var renamed = await org.PutAsJsonAsync($"{Org}/profile", Profile($"Поликлиника {unique} (новое здание)"));
        (await Body(renamed))["name"]!.GetValue<string>().ShouldBe($"Поликлиника {unique} (новое здание)");

        using var department = await org.PutAsJsonAsync($"{Org}/departments/dep-1", new { name = "Терапевтическое отделение" });
        department.StatusCode.ShouldBe(HttpStatusCode.OK, await department.Content.ReadAsStringAsync());
        var departmentId = (await Body(department))["id"]!.GetValue<Guid>();
        using var departmentAgain = await org.PutAsJsonAsync($"{Org}/departments/dep-1",
            new { name = "Терапевтическое отделение № 1", phone = "+74950000001" });
        var departmentBody = await Body(departmentAgain);
        departmentBody["id"]!.GetValue<Guid>().ShouldBe(departmentId);
        departmentBody["externalId"]!.GetValue<string>().ShouldBe("dep-1");
        departmentBody["phone"]!.GetValue<string>().ShouldBe("+74950000001");

        var accountId = Guid.CreateVersion7();
        using var doctor = await org.PutAsJsonAsync($"{Org}/doctors/doc-1", new
        {
            familyName = "Сидоров", givenName = "Пётр", middleName = "Ильич", specialty = "therapist",
            departmentExternalId = "dep-1", accountId,
        });
        doctor.StatusCode.ShouldBe(HttpStatusCode.OK, await doctor.Content.ReadAsStringAsync());
        var doctorBody = await Body(doctor);
        var doctorId = doctorBody["id"]!.GetValue<Guid>();
        doctorBody["name"]!.GetValue<string>().ShouldBe("Сидоров Пётр Ильич");
        doctorBody["specialtyName"]!.GetValue<string>().ShouldBe("Терапевт");
        doctorBody["departmentId"]!.GetValue<Guid>().ShouldBe(departmentId);
        doctorBody["active"]!.GetValue<bool>().ShouldBeTrue();
        using var doctorAgain = await org.PutAsJsonAsync($"{Org}/doctors/doc-1", new
        {
            familyName = "Сидоров", givenName = "Пётр", specialty = "general_practitioner", accountId,
        });
        var againBody = await Body(doctorAgain);
        againBody["id"]!.GetValue<Guid>().ShouldBe(doctorId);
        againBody["specialty"]!.GetValue<string>().ShouldBe("general_practitioner");
        againBody["departmentId"].ShouldBeNull();

        (await app.WithDbAsync(db => db.Doctors.CountAsync(d => d.OrganizationId == organizationId))).ShouldBe(1);
        (await app.WithDbAsync(db => db.Departments.CountAsync(d => d.OrganizationId == organizationId))).ShouldBe(1);

        using var patient = app.PatientClient(Guid.CreateVersion7());
        using var details = await patient.GetAsync($"/api/v1/appointments/organizations/{organizationId}");
        details.StatusCode.ShouldBe(HttpStatusCode.OK);
        var detailsBody = await Body(details);
        detailsBody["name"]!.GetValue<string>().ShouldBe($"Поликлиника {unique} (новое здание)");
        detailsBody["departments"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<Guid>().ShouldBe(departmentId);
        var listedDoctor = detailsBody["doctors"]!.AsArray().ShouldHaveSingleItem()!;
        listedDoctor["id"]!.GetValue<Guid>().ShouldBe(doctorId);
        listedDoctor["specialtyName"]!.GetValue<string>().ShouldBe("Врач общей практики");

        using var search = await patient.GetAsync($"/api/v1/appointments/organizations?q={unique}");
        (await Body(search))["items"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<Guid>().ShouldBe(organizationId);

        using var unknown = await patient.GetAsync($"/api/v1/appointments/organizations/{Guid.CreateVersion7()}");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var specialties = await patient.GetAsync("/api/v1/appointments/specialties");
        specialties.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Body(specialties))["items"]!.AsArray()
            .ShouldContain(s => s!["code"]!.GetValue<string>() == "therapist" && s["name"]!.GetValue<string>() == "Терапевт");
    }

    [Fact]
    public async Task A_schedule_becomes_slots_in_UTC_and_a_repeated_schedule_creates_only_the_missing_ones()
    {
        var (organizationId, org) = await PublishedOrganizationAsync(app);
        using var _ = org;
        using var doctor = await org.PutAsJsonAsync($"{Org}/doctors/doc-7",
            new { familyName = "Кузнецова", givenName = "Ольга", specialty = "neurologist" });
        var doctorId = (await Body(doctor))["id"]!.GetValue<Guid>();
        var monday = NextMonday();
        object Schedule(string end) => new
        {
            from = monday.ToString("yyyy-MM-dd"), to = monday.AddDays(6).ToString("yyyy-MM-dd"), weekdays = new[] { 1, 3 },
            start = "08:00", end, slotMinutes = 20, telemedicine = false, room = "214",
        };

        using var first = await org.PostAsJsonAsync($"{Org}/doctors/doc-7/schedule", Schedule("09:00"));
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var firstBody = await Body(first);
        firstBody["created"]!.GetValue<int>().ShouldBe(6);
        firstBody["existing"]!.GetValue<int>().ShouldBe(0);

        var slots = await app.WithDbAsync(db => db.Slots.AsNoTracking().Where(s => s.DoctorId == doctorId)
            .OrderBy(s => s.StartsAt).ToListAsync());
        slots.Count.ShouldBe(6);
        // 08:00 Moscow is 05:00 UTC.
        slots[0].StartsAt.ShouldBe(new DateTimeOffset(monday.ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero));
        slots[0].EndsAt.ShouldBe(slots[0].StartsAt.AddMinutes(20));
        slots[3].StartsAt.ShouldBe(new DateTimeOffset(monday.AddDays(2).ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero));
        slots.ShouldAllBe(s => s.Room == "214" && !s.Telemedicine && s.SpecialtyCode == "neurologist"
                               && s.OrganizationId == organizationId && !s.Closed);

        using var again = await org.PostAsJsonAsync($"{Org}/doctors/doc-7/schedule", Schedule("09:00"));
        var againBody = await Body(again);
        againBody["created"]!.GetValue<int>().ShouldBe(0);
        againBody["existing"]!.GetValue<int>().ShouldBe(6);

        using var longer = await org.PostAsJsonAsync($"{Org}/doctors/doc-7/schedule", Schedule("10:00"));
        var longerBody = await Body(longer);
        longerBody["created"]!.GetValue<int>().ShouldBe(6);
        longerBody["existing"]!.GetValue<int>().ShouldBe(6);
        (await app.WithDbAsync(db => db.Slots.CountAsync(s => s.DoctorId == doctorId))).ShouldBe(12);
    }

    [Fact]
    public async Task A_doctors_new_specialty_and_department_follow_to_their_future_slots()
    {
        var (organizationId, org) = await PublishedOrganizationAsync(app);
        using var _ = org;
        using var doctor = await org.PutAsJsonAsync($"{Org}/doctors/doc-8",
            new { familyName = "Лебедев", givenName = "Андрей", specialty = "therapist" });
        var doctorId = (await Body(doctor))["id"]!.GetValue<Guid>();
        var monday = NextMonday();
        using var schedule = await org.PostAsJsonAsync($"{Org}/doctors/doc-8/schedule", new
        {
            from = monday.ToString("yyyy-MM-dd"), to = monday.ToString("yyyy-MM-dd"), weekdays = new[] { 1 },
            start = "08:00", end = "09:00", slotMinutes = 30,
        });
        schedule.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var department = await org.PutAsJsonAsync($"{Org}/departments/gp", new { name = "Отделение общей практики" });
        var departmentId = (await Body(department))["id"]!.GetValue<Guid>();

        using var changed = await org.PutAsJsonAsync($"{Org}/doctors/doc-8",
            new { familyName = "Лебедев", givenName = "Андрей", specialty = "general_practitioner", departmentExternalId = "gp" });

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var slots = await app.WithDbAsync(db => db.Slots.AsNoTracking().Where(s => s.DoctorId == doctorId).ToListAsync());
        slots.Count.ShouldBe(2);
        slots.ShouldAllBe(s => s.SpecialtyCode == "general_practitioner" && s.DepartmentId == departmentId);

        using var patient = app.PatientClient(Guid.CreateVersion7());
        using var search = await patient.GetAsync($"/api/v1/appointments/slots?organizationId={organizationId}&specialty=general_practitioner");
        var items = (await Body(search))["items"]!.AsArray();
        items.Count.ShouldBe(2);
        items[0]!["department"]!["name"]!.GetValue<string>().ShouldBe("Отделение общей практики");
    }

    [Fact]
    public async Task Telemedicine_slots_get_no_room()
    {
        var (_, org) = await PublishedOrganizationAsync(app);
        using var _ = org;
        using var doctor = await org.PutAsJsonAsync($"{Org}/doctors/tele-1",
            new { familyName = "Орлов", givenName = "Игорь", specialty = "cardiologist" });
        var doctorId = (await Body(doctor))["id"]!.GetValue<Guid>();
        var monday = NextMonday();

        using var response = await org.PostAsJsonAsync($"{Org}/doctors/tele-1/schedule", new
        {
            from = monday.ToString("yyyy-MM-dd"), to = monday.ToString("yyyy-MM-dd"), weekdays = new[] { 1 },
            start = "18:00", end = "19:00", slotMinutes = 30, telemedicine = true, room = "305",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var slots = await app.WithDbAsync(db => db.Slots.AsNoTracking().Where(s => s.DoctorId == doctorId).ToListAsync());
        slots.Count.ShouldBe(2);
        slots.ShouldAllBe(s => s.Telemedicine && s.Room == null);
    }

    [Fact]
    public async Task Invalid_input_is_a_400_naming_the_fields_and_changes_nothing()
    {
        var (organizationId, org) = await PublishedOrganizationAsync(app);
        using var _ = org;

        using var badProfile = await org.PutAsJsonAsync($"{Org}/profile", new { name = "", kind = "clinic", address = "Москва", phone = "1" });
        badProfile.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var profileErrors = (await Body(badProfile))["errors"]!.AsObject();
        profileErrors.Select(e => e.Key).ShouldBe(["name", "kind"], ignoreOrder: true);
        profileErrors["kind"]![0]!.GetValue<string>().ShouldContain("поликлиника");
        (await app.WithDbAsync(db => db.Organizations.SingleAsync(o => o.Id == organizationId))).Name
            .ShouldBe("ГБУЗ «Городская поликлиника № 7»");

        using var badDoctor = await org.PutAsJsonAsync($"{Org}/doctors/doc-x",
            new { familyName = "Иванов", givenName = "", specialty = "astrologer", departmentExternalId = "no-such" });
        badDoctor.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Body(badDoctor))["errors"]!.AsObject().Select(e => e.Key)
            .ShouldBe(["givenName", "specialty", "departmentExternalId"], ignoreOrder: true);
        (await app.WithDbAsync(db => db.Doctors.AnyAsync(d => d.OrganizationId == organizationId))).ShouldBeFalse();

        using var wrongType = await org.PutAsJsonAsync($"{Org}/doctors/doc-x",
            new { familyName = "Иванов", givenName = "Иван", specialty = "therapist", accountId = "not-a-guid" });
        wrongType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Body(wrongType))["errors"]!["accountId"].ShouldNotBeNull();

        using var doctor = await org.PutAsJsonAsync($"{Org}/doctors/doc-y",
            new { familyName = "Иванов", givenName = "Иван", specialty = "therapist" });
        var doctorId = (await Body(doctor))["id"]!.GetValue<Guid>();
        using var badSchedule = await org.PostAsJsonAsync($"{Org}/doctors/doc-y/schedule", new
        {
            from = "2026-13-01", to = "2026-12-20", weekdays = new[] { 0, 8 }, start = "8am", end = "14:00", slotMinutes = 0,
        });
        badSchedule.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var scheduleErrors = (await Body(badSchedule))["errors"]!.AsObject();
        scheduleErrors.Select(e => e.Key).ShouldBe(["from", "weekdays", "start", "slotMinutes"], ignoreOrder: true);
        scheduleErrors["weekdays"]![0]!.GetValue<string>().ShouldContain("понедельник");
        (await app.WithDbAsync(db => db.Slots.AnyAsync(s => s.DoctorId == doctorId))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_schedule_for_a_doctor_of_another_organization_or_an_unknown_one_is_404_and_a_withdrawn_doctor_gets_422()
    {
        var (_, orgA) = await PublishedOrganizationAsync(app);
        var (_, orgB) = await PublishedOrganizationAsync(app);
        using var a = orgA;
        using var b = orgB;
        using var doctor = await orgA.PutAsJsonAsync($"{Org}/doctors/shared-ext",
            new { familyName = "Иванов", givenName = "Иван", specialty = "therapist" });
        var doctorId = (await Body(doctor))["id"]!.GetValue<Guid>();
        var monday = NextMonday();
        var schedule = new
        {
            from = monday.ToString("yyyy-MM-dd"), to = monday.ToString("yyyy-MM-dd"), weekdays = new[] { 1 },
            start = "08:00", end = "09:00", slotMinutes = 20,
        };

        using var other = await orgB.PostAsJsonAsync($"{Org}/doctors/shared-ext/schedule", schedule);
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var unknown = await orgA.PostAsJsonAsync($"{Org}/doctors/nobody/schedule", schedule);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var withdrawn = await orgA.PutAsJsonAsync($"{Org}/doctors/shared-ext",
            new { familyName = "Иванов", givenName = "Иван", specialty = "therapist", active = false });
        (await Body(withdrawn))["active"]!.GetValue<bool>().ShouldBeFalse();
        using var refused = await orgA.PostAsJsonAsync($"{Org}/doctors/shared-ext/schedule", schedule);
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Body(refused))["reason"]!.GetValue<string>().ShouldBe("doctor_inactive");
        (await app.WithDbAsync(db => db.Slots.AnyAsync(s => s.DoctorId == doctorId))).ShouldBeFalse();
    }

    [Fact]
    public async Task Departments_and_doctors_need_the_organizations_profile_first()
    {
        using var org = app.OrganizationClient(Guid.CreateVersion7());

        using var department = await org.PutAsJsonAsync($"{Org}/departments/dep-1", new { name = "Хирургия" });

        department.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Body(department))["reason"]!.GetValue<string>().ShouldBe("organization_profile_missing");
    }

    [Fact]
    public async Task A_patient_or_doctor_token_gets_403_on_the_organization_endpoints()
    {
        var organizationId = Guid.CreateVersion7();
        using var patient = app.PatientClient(Guid.CreateVersion7());
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), organizationId);

        foreach (var client in new[] { patient, doctor })
        {
            using var profile = await client.PutAsJsonAsync($"{Org}/profile", Profile());
            profile.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var department = await client.PutAsJsonAsync($"{Org}/departments/dep-1", new { name = "Хирургия" });
            department.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var doc = await client.PutAsJsonAsync($"{Org}/doctors/doc-1",
                new { familyName = "Иванов", givenName = "Иван", specialty = "therapist" });
            doc.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var schedule = await client.PostAsJsonAsync($"{Org}/doctors/doc-1/schedule", new { });
            schedule.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await app.WithDbAsync(db => db.Organizations.AnyAsync(o => o.Id == organizationId))).ShouldBeFalse();
    }
}
