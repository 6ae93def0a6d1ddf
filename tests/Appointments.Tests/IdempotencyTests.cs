using System.Net;
using Gosuslugi.Health.Appointments.Booking;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Appointments.Tests.BookingTestSupport;

namespace Gosuslugi.Health.Appointments.Tests;

[Collection(AppointmentsCollection.Name)]
public sealed class IdempotencyTests(AppointmentsApp app)
{
    [Fact]
    public async Task The_same_key_answers_the_first_booking_again_and_books_once()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        using var client = app.PatientClient(patientId);
        var key = Guid.NewGuid().ToString();

        using var first = await client.BookAsync(slots[0], key);
        using var second = await client.BookAsync(slots[0], key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        second.StatusCode.ShouldBe(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        second.Headers.Location.ShouldBe(first.Headers.Location);
        var one = await first.ReadJsonAsync();
        var two = await second.ReadJsonAsync();
        two["id"]!.GetValue<Guid>().ShouldBe(one["id"]!.GetValue<Guid>());
        two["startsAt"]!.GetValue<DateTimeOffset>().ShouldBe(one["startsAt"]!.GetValue<DateTimeOffset>());
        two["doctor"]!["name"]!.GetValue<string>().ShouldBe(one["doctor"]!["name"]!.GetValue<string>());
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.PatientId == patientId))).ShouldBe(1);
        (await app.OutboxPayloadsAsync(typeof(Contracts.Appointments.AppointmentBooked).FullName!, patientId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Answers_are_kept_for_a_day_and_then_purged()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        using var client = app.PatientClient(patientId);
        var oldKey = Guid.NewGuid().ToString();
        var newKey = Guid.NewGuid().ToString();
        (await client.BookAsync(slots[0], oldKey)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.BookAsync(slots[1], newKey)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await app.WithDbAsync(db => db.IdempotentRequests.Where(r => r.OwnerId == patientId && r.Key == oldKey)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CreatedAt, r => r.CreatedAt - IdempotencyKeyRetention.KeptFor - TimeSpan.FromMinutes(1))));

        var purged = await app.WithDbAsync(db => IdempotencyKeyRetention.PurgeAsync(db, DateTimeOffset.UtcNow, 1000, CancellationToken.None));

        purged.ShouldBeGreaterThanOrEqualTo(1);
        var kept = await app.WithDbAsync(db => db.IdempotentRequests.Where(r => r.OwnerId == patientId).Select(r => r.Key).ToListAsync());
        kept.ShouldBe([newKey]);
    }

    [Fact]
    public async Task A_refusal_is_answered_again_too()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        await app.BookOkAsync(await app.AddPatientAsync(), slots[0]);
        using var client = app.PatientClient(await app.AddPatientAsync());
        var key = Guid.NewGuid().ToString();

        using var first = await client.BookAsync(slots[0], key);
        using var second = await client.BookAsync(slots[0], key);

        first.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        second.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await ReasonOf(second)).ShouldBe("slot_taken");
    }

    [Fact]
    public async Task The_same_key_with_another_slot_is_refused()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var patientId = await app.AddPatientAsync();
        using var client = app.PatientClient(patientId);
        var key = Guid.NewGuid().ToString();
        using var first = await client.BookAsync(slots[0], key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);

        using var other = await client.BookAsync(slots[1], key);

        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ReasonOf(other)).ShouldBe("idempotency_key_reused");
        (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.PatientId == patientId))).ShouldBe(1);
    }

    [Fact]
    public async Task Keys_of_different_patients_do_not_collide()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 2);
        var key = Guid.NewGuid().ToString();
        using var one = app.PatientClient(await app.AddPatientAsync());
        using var two = app.PatientClient(await app.AddPatientAsync());

        using var first = await one.BookAsync(slots[0], key);
        using var second = await two.BookAsync(slots[1], key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await second.ReadJsonAsync())["id"]!.GetValue<Guid>().ShouldNotBe((await first.ReadJsonAsync())["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_too_long_key_is_a_validation_error()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        using var client = app.PatientClient(await app.AddPatientAsync());

        using var response = await client.BookAsync(slots[0], new string('k', 101));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_book_once_and_answer_alike()
    {
        var (_, _, slots) = await app.AddDoctorWithSlotsAsync(slots: 1);
        var patientId = await app.AddPatientAsync();
        using var client = app.PatientClient(patientId);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.BookAsync(slots[0], key)));

        try
        {
            responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
            var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync())["id"]!.GetValue<Guid>()));
            ids.Distinct().ShouldHaveSingleItem();
            (await app.WithDbAsync(db => db.Appointments.CountAsync(a => a.PatientId == patientId))).ShouldBe(1);
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }
}
