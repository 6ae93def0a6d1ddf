using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Prescriptions.Expiry;

/// <summary>
/// Marks active prescriptions past their last day expired (the patient told), and reminds the patient once, a few days
/// before, of a prescription nothing was dispensed from yet.
/// </summary>
public static class PrescriptionExpiry
{
    public const int DefaultBatchSize = 100;
    public const int DefaultLeadDays = 3;

    /// <summary>
    /// One batch in one transaction, rows claimed FOR UPDATE SKIP LOCKED: instances sweep side by side, and a pharmacy's
    /// conditional UPDATE waits for the row, then finds it expired.
    /// </summary>
    /// <returns>How many prescriptions the batch handled; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SweepAsync(PrescriptionsDb db, TimeProvider time, int leadDays = DefaultLeadDays,
        int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var today = MoscowTime.DateOf(now);
        var remindUntil = today.AddDays(leadDays);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Prescriptions
            .FromSql($"""
                SELECT * FROM prescriptions
                WHERE status = 'active'
                  AND (valid_until < {today}
                       OR (valid_until <= {remindUntil} AND expiry_reminder_sent_at IS NULL AND dispensed_quantity = 0))
                ORDER BY valid_until
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        foreach (var prescription in due)
        {
            if (prescription.ValidUntil < today)
            {
                prescription.Status = PrescriptionStatuses.Expired;
                prescription.UpdatedAt = now;
                db.AddOutboxEvent(new PrescriptionStatusChanged(prescription.Id, prescription.PatientId, PrescriptionChanges.Expired,
                    PrescriptionStatuses.Expired, null, null, prescription.RemainingQuantity, now));
            }
            else
            {
                prescription.ExpiryReminderSentAt = now;
                db.AddOutboxEvent(new PrescriptionExpiring(prescription.Id, prescription.PatientId, prescription.ValidUntil, now));
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }
}

/// <summary>Configuration section Prescriptions:Expiry.</summary>
public sealed class PrescriptionExpiryOptions
{
    public const string Section = "Prescriptions:Expiry";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many days before the last day the patient is reminded of an unused prescription.</summary>
    public int LeadDays { get; set; } = PrescriptionExpiry.DefaultLeadDays;

    public int BatchSize { get; set; } = PrescriptionExpiry.DefaultBatchSize;
}

/// <summary>Runs <see cref="PrescriptionExpiry.SweepAsync"/> every <see cref="PrescriptionExpiryOptions.Interval"/>.</summary>
public sealed class PrescriptionExpirySweeper(IServiceScopeFactory scopes, TimeProvider time, IOptions<PrescriptionExpiryOptions> options,
    ILogger<PrescriptionExpirySweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sweeping expiring prescriptions";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var handled = await PrescriptionExpiry.SweepAsync(services.GetRequiredService<PrescriptionsDb>(), Time, options.Value.LeadDays,
            BatchSize, ct);
        if (handled > 0) Logger.LogInformation("Expired or reminded {Count} prescriptions", handled);
        return handled;
    }
}
