using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Immunizations.Plans;

/// <summary>Reminds patients (a <see cref="VaccinationDue"/> event) of plan items that draw near, once per item.</summary>
public static class VaccinationDueReminders
{
    public const int DefaultBatchSize = 100;
    public const int DefaultLeadDays = 7;


    /// <summary>
    /// One batch in one transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances of the
    /// service sweep side by side without announcing an item twice; an organization's change or cancellation of an
    /// item locks it too, so a reminder never goes out for a date or an item that was just withdrawn.
    /// </summary>
    /// <param name="leadDays">Items due on or before Moscow's today plus this many days are announced (overdue ones too).</param>
    /// <returns>How many reminders were queued; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SweepAsync(ImmunizationsDb db, TimeProvider time, int leadDays = DefaultLeadDays,
        int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var lastDueOn = MoscowTime.DateOf(now).AddDays(leadDays);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.VaccinationPlans
            .FromSql($"""
                SELECT * FROM vaccination_plans
                WHERE notified_at IS NULL AND done_at IS NULL AND cancelled_at IS NULL AND due_on <= {lastDueOn}
                ORDER BY due_on
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        foreach (var plan in due)
        {
            plan.MarkNotified(now);
            db.AddOutboxEvent(new VaccinationDue(plan.PatientId, plan.Disease, plan.VaccineName, plan.DueOn, now));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }
}

/// <summary>Configuration section Immunizations:VaccinationDue.</summary>
public sealed class VaccinationDueOptions
{
    public const string Section = "Immunizations:VaccinationDue";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many days ahead of the due date the patient is reminded.</summary>
    public int LeadDays { get; set; } = VaccinationDueReminders.DefaultLeadDays;

    public int BatchSize { get; set; } = VaccinationDueReminders.DefaultBatchSize;
}

/// <summary>Runs <see cref="VaccinationDueReminders.SweepAsync"/> every <see cref="VaccinationDueOptions.Interval"/>.</summary>
public sealed class VaccinationDueSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<VaccinationDueOptions> options,
    ILogger<VaccinationDueSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sweeping due vaccinations";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var queued = await VaccinationDueReminders.SweepAsync(services.GetRequiredService<ImmunizationsDb>(), Time,
            options.Value.LeadDays, BatchSize, ct);
        if (queued > 0)
        {
            Logger.LogInformation("Queued {Count} vaccination reminders", queued);
        }

        return queued;
    }
}
