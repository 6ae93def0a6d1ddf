using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>An Idempotency-Key and what it was sent with: the same key with another request is not a retry.</summary>
public sealed record IdempotentRequestKey(string Key, string RequestHash)
{
    /// <param name="request">The method, route and what the body asks, e.g. <c>POST /api/v1/appointments\n{slotId}</c>.</param>
    public static IdempotentRequestKey Of(string key, string request) =>
        new(key, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request))));
}

/// <summary>The answer an endpoint gives a booking; with an Idempotency-Key it is stored so that a retry gets it again.</summary>
/// <param name="Body">The booked appointment or the problem, written as JSON.</param>
public sealed record BookingAnswer(int StatusCode, object Body, string? Location);

public enum KeyedBookingOutcome
{
    Answered,

    /// <summary>The key was used for this very request before: its first answer stands.</summary>
    Repeated,

    /// <summary>The key was used for another request.</summary>
    KeyReused,
}

/// <param name="Answer">The answer given now, for <see cref="KeyedBookingOutcome.Answered"/>.</param>
/// <param name="Earlier">The first answer, for <see cref="KeyedBookingOutcome.Repeated"/>.</param>
public sealed record KeyedBookingResult(KeyedBookingOutcome Outcome, BookingAnswer? Answer = null, IdempotentRequest? Earlier = null);

/// <summary>The patient's own appointments (or a representative's for them): book, read, move and cancel.</summary>
public sealed class PatientAppointments(
    AppointmentsDb db,
    AppointmentBooking booking,
    PatientAccessLog access,
    TimeProvider time,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const string BookPurpose = "запись на приём к врачу";
    public const string ReadPurpose = "просмотр записей на приём к врачу";
    public const string MovePurpose = "перенос записи на приём к врачу";
    public const string CancelPurpose = "отмена записи на приём к врачу";

    /// <summary>
    /// Books the slot. With a <paramref name="key"/> the first answer (a booking or a refusal) is stored with the booking,
    /// in one transaction, and a retry with the same key gets it again without booking anything.
    /// </summary>
    /// <param name="answer">The endpoint's answer to the booking's result (with the appointment when it is booked).</param>
    public async Task<KeyedBookingResult> BookAsync(Guid patientId, Guid slotId, BookingActor actor, IdempotentRequestKey? key,
        Func<BookingResult, AppointmentResponse?, BookingAnswer> answer, CancellationToken ct)
    {
        if (key is not null && await FindKeyAsync(patientId, key.Key, ct) is { } earlier)
        {
            return Repeated(earlier, key);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await booking.BookAsync(patientId, slotId, actor, null, ct);
        var booked = result is { Outcome: BookingOutcome.Done, Appointment: { } appointment }
            ? (await AppointmentViews.LoadAsync(db, [appointment.Id], ct))[0]
            : null;
        var given = answer(result, booked);

        access.Add(patientId, AccessActions.Create, BookPurpose, result.Appointment?.Id);
        if (key is not null)
        {
            db.IdempotentRequests.Add(new IdempotentRequest
            {
                OwnerId = patientId,
                Key = key.Key,
                RequestHash = key.RequestHash,
                StatusCode = given.StatusCode,
                Response = JsonSerializer.Serialize(given.Body, given.Body.GetType(), json.Value.SerializerOptions),
                Location = given.Location,
                CreatedAt = time.GetUtcNow(),
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && key is not null)
        {
            // A concurrent retry with the same key answered first: undo this attempt and answer as it did.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (await FindKeyAsync(patientId, key.Key, ct) is not { } first)
            {
                throw;
            }

            return Repeated(first, key);
        }

        return new KeyedBookingResult(KeyedBookingOutcome.Answered, given);
    }

    /// <summary>Latest first; <paramref name="status"/> filters.</summary>
    public async Task<List<AppointmentResponse>> ListAsync(Guid patientId, string? status, CancellationToken ct)
    {
        var query = db.Appointments.AsNoTracking().Where(a => a.PatientId == patientId);
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        var ids = await query.OrderByDescending(a => a.StartsAt).ThenByDescending(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var items = await AppointmentViews.LoadAsync(db, ids, ct);
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, null, ct);
        return items;
    }

    /// <returns>Null when the patient has no such appointment.</returns>
    public async Task<AppointmentResponse?> GetAsync(Guid patientId, Guid id, CancellationToken ct)
    {
        // Someone else's appointment answers exactly like a missing one, so ids reveal nothing.
        if (!await db.Appointments.AnyAsync(a => a.Id == id && a.PatientId == patientId, ct))
        {
            return null;
        }

        var appointment = (await AppointmentViews.LoadAsync(db, [id], ct))[0];
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, id, ct);
        return appointment;
    }

    public Task<ChangedAppointment<AppointmentResponse>> MoveAsync(Guid patientId, Guid id, Guid slotId, BookingActor actor,
        CancellationToken ct) =>
        ChangeAsync(patientId, id, MovePurpose, () => booking.MoveAsync(id, patientId, slotId, actor, null, null, ct), ct);

    public Task<ChangedAppointment<AppointmentResponse>> CancelAsync(Guid patientId, Guid id, BookingActor actor,
        string? reason, CancellationToken ct) =>
        ChangeAsync(patientId, id, CancelPurpose, () => booking.CancelAsync(id, patientId, actor, reason, ct), ct);

    private async Task<ChangedAppointment<AppointmentResponse>> ChangeAsync(Guid patientId, Guid id, string purpose,
        Func<Task<BookingResult>> change, CancellationToken ct)
    {
        var outcome = await LoggedChanges.RunAsync(db, access, patientId, id, purpose, change, ct);
        return outcome == BookingOutcome.Done
            ? new(outcome, (await AppointmentViews.LoadAsync(db, [id], ct))[0])
            : new(outcome);
    }

    private Task<IdempotentRequest?> FindKeyAsync(Guid patientId, string key, CancellationToken ct) =>
        db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.OwnerId == patientId && r.Key == key, ct);

    /// <summary>The same key with the same request answers as the first time; with another request it is refused.</summary>
    private static KeyedBookingResult Repeated(IdempotentRequest earlier, IdempotentRequestKey key) =>
        earlier.RequestHash == key.RequestHash
            ? new(KeyedBookingOutcome.Repeated, Earlier: earlier)
            : new(KeyedBookingOutcome.KeyReused);
}
