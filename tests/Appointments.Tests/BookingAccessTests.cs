using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Appointments.Tests.BookingTestSupport;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>Someone else's appointment answers like a missing one, and tokens that do not act for a patient are refused.</summary>
[Collection(AppointmentsCollection.Name)]
public sealed class BookingAccessTests(AppointmentsApp app)
{
    private async Task<(Guid PatientId, Guid AppointmentId, IReadOnlyList<Guid> Slots)> BookedAsync()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(patientId, slots[0]))["id"]!.GetValue<Guid>();
        return (patientId, id, slots);
    }

    private static async Task ShouldBeNotFoundWithoutDataAsync(HttpResponseMessage response, Guid appointmentId)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var text = await response.Content.ReadAsStringAsync();
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        problem.Remove("instance");
        var rest = problem.ToJsonString();
        rest.ShouldNotContain(appointmentId.ToString());
        rest.ShouldNotContain("startsAt");
        rest.ShouldNotContain("doctor");
    }

    [Fact]
    public async Task Another_patient_gets_404_and_no_data_on_get_move_and_cancel()
    {
        var (patientId, id, slots) = await BookedAsync();
        using var stranger = app.PatientClient(await app.AddPatientAsync());

        using var get = await stranger.GetAsync($"{Route}/{id}");
        await ShouldBeNotFoundWithoutDataAsync(get, id);
        using var move = await stranger.PostAsJsonAsync($"{Route}/{id}/move", new { slotId = slots[1] });
        await ShouldBeNotFoundWithoutDataAsync(move, id);
        using var cancel = await stranger.PostAsJsonAsync($"{Route}/{id}/cancel", new { reason = "чужая" });
        await ShouldBeNotFoundWithoutDataAsync(cancel, id);
        using var list = await stranger.GetAsync(Route);
        (await list.ReadJsonAsync())["items"]!.AsArray().ShouldBeEmpty();

        var appointment = await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id));
        appointment.Status.ShouldBe(AppointmentStatuses.Booked);
        appointment.SlotId.ShouldBe(slots[0]);
        appointment.PatientId.ShouldBe(patientId);
    }

    [Fact]
    public async Task A_representative_of_another_person_gets_404()
    {
        var (_, id, _) = await BookedAsync();
        using var representative = app.RepresentativeClient(await app.AddPatientAsync(), Guid.CreateVersion7());

        using var get = await representative.GetAsync($"{Route}/{id}");
        await ShouldBeNotFoundWithoutDataAsync(get, id);
        using var cancel = await representative.PostAsync($"{Route}/{id}/cancel", null);
        await ShouldBeNotFoundWithoutDataAsync(cancel, id);
    }

    [Fact]
    public async Task Doctor_admin_and_organization_tokens_cannot_use_the_patients_endpoints()
    {
        var (_, id, slots) = await BookedAsync();
        using var doctor = app.DoctorClient(Guid.CreateVersion7(), Guid.CreateVersion7());
        using var admin = app.AdminClient();
        using var organization = app.OrganizationClient(Guid.CreateVersion7());

        foreach (var client in new[] { doctor, admin, organization })
        {
            using var get = await client.GetAsync($"{Route}/{id}");
            get.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await get.Content.ReadAsStringAsync()).ShouldNotContain("startsAt");
            using var list = await client.GetAsync(Route);
            list.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var book = await client.BookAsync(slots[1]);
            book.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            using var cancel = await client.PostAsync($"{Route}/{id}/cancel", null);
            cancel.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        (await app.WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id))).Status
            .ShouldBe(AppointmentStatuses.Booked);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401()
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(Route);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
