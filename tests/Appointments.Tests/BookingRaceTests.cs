using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Gosuslugi.Health.Appointments.Tests.BookingTestSupport;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>The rule that a slot is never booked twice, under contention and across instances of the service.</summary>
[Collection(AppointmentsCollection.Name)]
public sealed class BookingRaceTests(AppointmentsApp app, ITestOutputHelper output)
{
    private const int Attempts = 500;

    [Fact]
    public async Task Five_hundred_patients_racing_for_one_slot_on_two_instances_get_one_booking_and_499_conflicts()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var slotId = slots[0];
        var patients = await AddPatientsAsync(Attempts);
        // Stopped at the end: left running, it would take its share of the collection's messages from other tests.
        await using var second = await app.StartAnotherInstanceAsync();

        // One client per patient, alternating between the instances as a load balancer would.
        var clients = patients.Select((patientId, i) =>
        {
            var client = i % 2 == 0 ? app.Factory.CreateClient() : second.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                app.Issuer.CreateToken(patientId.ToString(), [HealthClaims.Roles.Patient], [HealthClaims.Scopes.Health]));
            client.Timeout = TimeSpan.FromSeconds(50);
            return client;
        }).ToList();

        var stopwatch = Stopwatch.StartNew();
        var responses = await Task.WhenAll(clients.Select(async client =>
        {
            await Task.Yield();
            using var response = await client.BookAsync(slotId);
            var reason = response.StatusCode == HttpStatusCode.Conflict ? await ReasonOf(response) : null;
            return (response.StatusCode, Reason: reason, Body: await response.Content.ReadAsStringAsync());
        }));
        stopwatch.Stop();
        foreach (var client in clients) client.Dispose();

        var counts = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{Attempts} attempts in {stopwatch.Elapsed.TotalSeconds:F1} s: " +
                         string.Join(", ", counts.Select(c => $"{(int)c.Key}×{c.Value}")));

        responses.Where(r => (int)r.StatusCode >= 500).ShouldBeEmpty();
        counts.GetValueOrDefault(HttpStatusCode.Created).ShouldBe(1);
        counts.GetValueOrDefault(HttpStatusCode.Conflict).ShouldBe(Attempts - 1);
        responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ShouldAllBe(r => r.Reason == "slot_taken");
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.SlotId == slotId))).ShouldBe(1);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task A_move_and_a_booking_racing_for_one_slot_leave_one_appointment_on_it()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var mover = await app.AddPatientAsync();
        var id = (await app.BookOkAsync(mover, slots[0]))["id"]!.GetValue<Guid>();
        // Stopped at the end: left running, it would take its share of the collection's messages from other tests.
        await using var second = await app.StartAnotherInstanceAsync();
        using var moverClient = app.PatientClient(mover);
        var booker = await app.AddPatientAsync();
        using var bookerClient = second.CreateClient();
        bookerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Issuer.CreateToken(booker.ToString(), [HealthClaims.Roles.Patient], [HealthClaims.Scopes.Health]));

        var move = moverClient.PostAsync($"{Route}/{id}/move",
            System.Net.Http.Json.JsonContent.Create(new { slotId = slots[1] }));
        var book = bookerClient.BookAsync(slots[1]);
        using var moved = await move;
        using var booked = await book;

        // Exactly one of them wins the slot.
        var outcome = (moved.StatusCode, booked.StatusCode);
        outcome.ShouldBeOneOf((HttpStatusCode.OK, HttpStatusCode.Conflict), (HttpStatusCode.Conflict, HttpStatusCode.Created));
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.SlotId == slots[1] && a.Status == AppointmentStatuses.Booked)))
            .ShouldBe(1);
    }

    private async Task<List<Guid>> AddPatientsAsync(int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            db.KnownPatients.AddRange(ids.Select(id => new KnownPatient
            {
                PatientId = id,
                FamilyName = "Сидоров",
                GivenName = "Пётр",
                AccountLevel = HealthClaims.AccountLevels.Confirmed,
                AccountLevelAt = now,
                OmsValidFrom = new DateOnly(2015, 1, 1),
                OmsChangedAt = now,
            }));
            await db.SaveChangesAsync();
        });
        return ids;
    }
}
