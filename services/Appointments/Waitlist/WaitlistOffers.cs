using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Appointments.Waitlist;

public static class WaitlistOffers
{
    /// <summary>How long a freed slot is held for the patient it is offered to before it passes to the next one.</summary>
    public static readonly TimeSpan OfferHoldTime = TimeSpan.FromMinutes(30);

    public const int DefaultBatchSize = 100;

    /// <summary>
    /// A slot was freed (cancelled or moved away from): when a waiting patient wants it, hold it for the first of them and
    /// add the offer and its event to <paramref name="db"/> (saved by the caller, in its transaction).
    /// </summary>
    /// <returns>The offer made, or null when nobody waits for this slot (or it cannot be offered).</returns>
    public static async Task<SlotOffer?> OfferFreedSlotAsync(AppointmentsDb db, Slot slot, DateTimeOffset now, CancellationToken ct)
    {
        // A slot that starts before the patient could answer is not worth holding.
        if (slot.Closed || slot.StartsAt <= now)
        {
            return null;
        }

        if (slot.HeldForOfferId is { } heldFor && slot.HeldUntil > now
            && await db.SlotOffers.AnyAsync(o => o.Id == heldFor && o.Status == SlotOfferStatuses.Open, ct))
        {
            return null;
        }

        // The first in line, by when they joined. Waiting entries are locked and others' locked ones skipped, so that two
        // slots freed at the same moment go to two patients rather than twice to one. Whoever already had this slot
        // offered (and let it pass) or holds it now (the appointment being cancelled in this very transaction) is left out.
        var entry = await db.WaitlistEntries
            .FromSql($"""
                SELECT e.* FROM waitlist_entries e
                WHERE e.status = 'waiting'
                  AND e.organization_id = {slot.OrganizationId}
                  AND e.specialty_code = {slot.SpecialtyCode}
                  AND (e.doctor_id IS NULL OR e.doctor_id = {slot.DoctorId})
                  AND e.wanted_before > {slot.StartsAt}
                  AND NOT EXISTS (SELECT 1 FROM slot_offers o WHERE o.entry_id = e.id AND o.slot_id = {slot.Id})
                  AND NOT EXISTS (SELECT 1 FROM appointments a
                                  WHERE a.patient_id = e.patient_id AND a.slot_id = {slot.Id} AND a.status = 'booked')
                  AND NOT EXISTS (SELECT 1 FROM appointments a
                                  WHERE a.id = e.appointment_id AND a.starts_at <= {slot.StartsAt})
                ORDER BY e.created_at, e.id
                LIMIT 1
                FOR UPDATE OF e SKIP LOCKED
                """)
            .AsTracking()
            .FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return null;
        }

        var offer = new SlotOffer
        {
            Id = Guid.CreateVersion7(),
            EntryId = entry.Id,
            PatientId = entry.PatientId,
            SlotId = slot.Id,
            ExpiresAt = now + OfferHoldTime,
            Status = SlotOfferStatuses.Open,
            CreatedAt = now,
        };
        db.SlotOffers.Add(offer);
        entry.Status = WaitlistStatuses.Offered;
        entry.UpdatedAt = now;
        if (db.Entry(slot).State == EntityState.Detached)
        {
            db.Slots.Attach(slot);
        }

        slot.HeldForOfferId = offer.Id;
        slot.HeldUntil = offer.ExpiresAt;

        var organization = await db.Organizations.FindAsync([slot.OrganizationId], ct);
        var doctor = await db.Doctors.FindAsync([slot.DoctorId], ct);
        db.AddOutboxEvent(new WaitlistSlotOffered(offer.Id, entry.Id, entry.PatientId, slot.Id, slot.OrganizationId,
            organization?.Name ?? "", slot.DoctorId, doctor?.FullName ?? "", Specialties.NameOf(slot.SpecialtyCode),
            slot.StartsAt, slot.Telemedicine, offer.ExpiresAt, now));
        return offer;
    }

    /// <summary>
    /// Ends an open offer (declined, expired or withdrawn with its entry), frees the slot and offers it to the next waiting
    /// patient. The entry goes back to waiting unless <paramref name="entryStatus"/> says otherwise or its time has passed.
    /// The caller saves.
    /// </summary>
    public static async Task CloseOfferAsync(AppointmentsDb db, SlotOffer offer, WaitlistEntry? entry, string offerStatus,
        string? entryStatus, DateTimeOffset now, CancellationToken ct)
    {
        offer.Status = offerStatus;
        offer.AnsweredAt = offerStatus == SlotOfferStatuses.Expired ? null : now;
        if (entry is not null && entry.Status == WaitlistStatuses.Offered)
        {
            entry.Status = entryStatus ?? (entry.WantedBefore <= now ? WaitlistStatuses.Expired : WaitlistStatuses.Waiting);
            entry.UpdatedAt = now;
        }

        var slot = await db.Slots.FindAsync([offer.SlotId], ct);
        if (slot is null || slot.HeldForOfferId != offer.Id)
        {
            return;
        }

        slot.HeldForOfferId = null;
        slot.HeldUntil = null;
        var booked = await db.Appointments.AnyAsync(a => a.SlotId == slot.Id && a.Status == AppointmentStatuses.Booked, ct);
        if (!booked)
        {
            await OfferFreedSlotAsync(db, slot, now, ct);
        }
    }

    /// <summary>How long after its offer's time an unfinished acceptance is given up (a booking takes milliseconds).</summary>
    public static readonly TimeSpan StaleAcceptance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// One batch in one transaction: open offers past their time expire and their slots pass to the next waiting patient;
    /// waiting entries past their <see cref="WaitlistEntry.WantedBefore"/> expire. Offers are claimed with FOR UPDATE SKIP
    /// LOCKED, so instances sweep side by side without passing a slot on twice, and a patient's answer saved meanwhile
    /// waits for the batch or wins.
    /// </summary>
    /// <returns>How many offers expired; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SweepAsync(AppointmentsDb db, TimeProvider time, int batchSize = DefaultBatchSize,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var staleAcceptance = now - StaleAcceptance;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Also an acceptance whose booking never finished (the process stopped between claiming the offer and booking):
        // its entry is still "offered", as the booking fulfils the entry in the same transaction.
        var due = await db.SlotOffers
            .FromSql($"""
                SELECT * FROM slot_offers
                WHERE (status = 'open' AND expires_at <= {now})
                   OR (status = 'accepted' AND expires_at <= {staleAcceptance}
                       AND EXISTS (SELECT 1 FROM waitlist_entries e WHERE e.id = slot_offers.entry_id AND e.status = 'offered'))
                ORDER BY expires_at
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        foreach (var offer in due)
        {
            var entry = await db.WaitlistEntries.FindAsync([offer.EntryId], ct);
            await CloseOfferAsync(db, offer, entry, SlotOfferStatuses.Expired, null, now, ct);
            // Each offer's successor is saved before the next one is looked for, so that one entry is not picked twice.
            await db.SaveChangesAsync(ct);
        }

        await db.WaitlistEntries
            .Where(e => e.Status == WaitlistStatuses.Waiting && e.WantedBefore <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WaitlistStatuses.Expired).SetProperty(e => e.UpdatedAt, now), ct);

        await transaction.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>Offer expiry and the service's waitlist wiring.</summary>
    public static IHostApplicationBuilder AddWaitlist(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WaitlistSweepOptions>().BindConfiguration("Appointments:WaitlistSweep");
        builder.Services.AddHostedService<WaitlistOfferSweeper>();
        return builder;
    }
}

/// <summary>Configuration section Appointments:WaitlistSweep.</summary>
public sealed class WaitlistSweepOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = WaitlistOffers.DefaultBatchSize;
}

/// <summary>Runs <see cref="WaitlistOffers.SweepAsync"/> every <see cref="WaitlistSweepOptions.Interval"/>.</summary>
public sealed class WaitlistOfferSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<WaitlistSweepOptions> options,
    ILogger<WaitlistOfferSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sweeping waitlist offers";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var expired = await WaitlistOffers.SweepAsync(services.GetRequiredService<AppointmentsDb>(), Time, BatchSize, ct);
        if (expired > 0)
        {
            Logger.LogInformation("Expired {Count} waitlist offers", expired);
        }

        return expired;
    }
}
