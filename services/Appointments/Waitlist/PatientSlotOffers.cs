using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Waitlist;

public enum OfferAnswerOutcome
{
    Answered,
    NotFound,

    /// <summary>Answered already, or its time is over: <see cref="OfferAnswer{T}.CurrentStatus"/> says which.</summary>
    Closed,

    /// <summary>Accepted, and the booking was refused: <see cref="OfferAnswer{T}.Booking"/> says why.</summary>
    BookingFailed,
}

/// <param name="CurrentStatus">For <see cref="OfferAnswerOutcome.Closed"/>: the offer's status as the patient sees it.</param>
public sealed record OfferAnswer<T>(OfferAnswerOutcome Outcome, T? Answer = null, string? CurrentStatus = null,
    BookingOutcome Booking = BookingOutcome.Done) where T : class;

/// <summary>
/// The slots offered to the patient from the waitlist: accepting one books it (or moves their appointment to it),
/// declining passes it on to the next patient.
/// </summary>
public sealed class PatientSlotOffers(
    AppointmentsDb db,
    AppointmentBooking booking,
    PatientAccessLog access,
    TimeProvider time,
    ILogger<PatientSlotOffers> logger)
{
    public static readonly IReadOnlyList<string> Statuses =
        [SlotOfferStatuses.Open, SlotOfferStatuses.Accepted, SlotOfferStatuses.Declined, SlotOfferStatuses.Expired];

    /// <summary>Newest first; <paramref name="status"/> filters by the status the patient sees.</summary>
    public async Task<List<SlotOfferResponse>> ListAsync(Guid patientId, string? status, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var offers = await db.SlotOffers.AsNoTracking().Where(o => o.PatientId == patientId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(200).ToListAsync(ct);
        var items = await WaitlistViews.DescribeAsync(db, offers, now, ct);
        if (status is not null)
        {
            items = items.Where(o => o.Status == status).ToList();
        }

        await access.LogAsync(patientId, AccessActions.Read, PatientWaitlist.ReadPurpose, null, ct);
        return items;
    }

    public async Task<OfferAnswer<AcceptedOfferResponse>> AcceptAsync(Guid patientId, Guid id, BookingActor actor,
        CancellationToken ct)
    {
        var offer = await db.SlotOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.PatientId == patientId, ct);
        if (offer is null)
        {
            return new(OfferAnswerOutcome.NotFound);
        }

        var now = time.GetUtcNow();
        // Claimed by one conditional update, committed at once: the sweep (which skips locked offers and re-checks the
        // status) cannot pass the slot on while the booking runs, and a second accept finds the offer taken.
        var claimed = await db.SlotOffers
            .Where(o => o.Id == id && o.Status == SlotOfferStatuses.Open && o.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Accepted).SetProperty(o => o.AnsweredAt, now), ct);
        if (claimed == 0)
        {
            return new(OfferAnswerOutcome.Closed, CurrentStatus: WaitlistViews.StatusSeen(offer, now));
        }

        // The entry's fulfilment and the access event join the booking's transaction; a failed booking clears them, so
        // they are added again before each attempt.
        async Task<WaitlistEntry> PrepareAsync()
        {
            var tracked = await db.WaitlistEntries.SingleAsync(e => e.Id == offer.EntryId, ct);
            tracked.Status = WaitlistStatuses.Fulfilled;
            tracked.UpdatedAt = now;
            // The hold ends with the booking, so that the slot is plainly free again should the appointment be cancelled.
            if (await db.Slots.FindAsync([offer.SlotId], ct) is { } slot && slot.HeldForOfferId == offer.Id)
            {
                slot.HeldForOfferId = null;
                slot.HeldUntil = null;
            }

            access.Add(patientId, AccessActions.Change, PatientWaitlist.ChangePurpose, offer.Id);
            return tracked;
        }

        BookingResult result;
        try
        {
            var entry = await PrepareAsync();
            if (entry.AppointmentId is { } appointmentId)
            {
                result = await booking.MoveAsync(appointmentId, patientId, offer.SlotId, actor, null, offer.Id, ct);
                if (result.Outcome is BookingOutcome.AppointmentNotFound or BookingOutcome.NotChangeable)
                {
                    // The appointment to move was cancelled (or took place) meanwhile: the patient still wants this slot.
                    await PrepareAsync();
                    result = await booking.BookAsync(patientId, offer.SlotId, actor, offer.Id, ct);
                }
            }
            else
            {
                result = await booking.BookAsync(patientId, offer.SlotId, actor, offer.Id, ct);
            }
        }
        catch
        {
            db.ChangeTracker.Clear();
            await ReopenAsync(id);
            throw;
        }

        if (result is not { Outcome: BookingOutcome.Done, Appointment: { } appointment })
        {
            db.ChangeTracker.Clear();
            if (result.Outcome is BookingOutcome.SlotTaken or BookingOutcome.SlotNotFound or BookingOutcome.SlotInPast)
            {
                // The slot is gone (closed or booked by the organization): the offer ends and the patient waits on.
                await EndUnusableOfferAsync(offer, now);
            }
            else
            {
                await ReopenAsync(id);
            }

            return new(OfferAnswerOutcome.BookingFailed, Booking: result.Outcome);
        }

        logger.LogInformation("Waitlist offer {OfferId} accepted: appointment {AppointmentId}", id, appointment.Id);
        var accepted = (await WaitlistViews.DescribeAsync(db,
            [await db.SlotOffers.AsNoTracking().SingleAsync(o => o.Id == id, ct)], now, ct)).Single();
        return new(OfferAnswerOutcome.Answered, new AcceptedOfferResponse(accepted, new AcceptedOfferAppointment(appointment.Id,
            appointment.Status, appointment.StartsAt, appointment.EndsAt, appointment.Telemedicine, appointment.JoinUrl)));
    }

    /// <summary>The patient lets the slot pass to the next one and keeps waiting for another.</summary>
    public async Task<OfferAnswer<SlotOfferResponse>> DeclineAsync(Guid patientId, Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Locked, so that the sweep (which skips it) cannot expire it and pass the slot on a second time.
        var offer = await db.SlotOffers
            .FromSql($"""SELECT * FROM slot_offers WHERE id = {id} AND patient_id = {patientId} FOR UPDATE""")
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (offer is null)
        {
            return new(OfferAnswerOutcome.NotFound);
        }

        if (offer.Status != SlotOfferStatuses.Open || offer.ExpiresAt <= now)
        {
            return new(OfferAnswerOutcome.Closed, CurrentStatus: WaitlistViews.StatusSeen(offer, now));
        }

        var entry = await db.WaitlistEntries.FindAsync([offer.EntryId], ct);
        await WaitlistOffers.CloseOfferAsync(db, offer, entry, SlotOfferStatuses.Declined, null, now, ct);
        access.Add(patientId, AccessActions.Change, PatientWaitlist.ChangePurpose, offer.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Waitlist offer {OfferId} declined", id);
        return new(OfferAnswerOutcome.Answered, (await WaitlistViews.DescribeAsync(db, [offer], now, ct)).Single());
    }

    /// <summary>The booking failed: the offer is open again (until its time), so that the patient may retry or decline.</summary>
    private Task ReopenAsync(Guid offerId) =>
        db.SlotOffers.Where(o => o.Id == offerId && o.Status == SlotOfferStatuses.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Open).SetProperty(o => o.AnsweredAt, (DateTimeOffset?)null),
                CancellationToken.None);

    private async Task EndUnusableOfferAsync(SlotOffer offer, DateTimeOffset now)
    {
        await db.SlotOffers.Where(o => o.Id == offer.Id && o.Status == SlotOfferStatuses.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, SlotOfferStatuses.Expired), CancellationToken.None);
        await db.WaitlistEntries.Where(e => e.Id == offer.EntryId && e.Status == WaitlistStatuses.Offered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, e => e.WantedBefore <= now ? WaitlistStatuses.Expired : WaitlistStatuses.Waiting)
                .SetProperty(e => e.UpdatedAt, now), CancellationToken.None);
    }
}
