using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Records.Preventive;

/// <summary>
/// Reminds patients (a <see cref="PreventiveExamDue"/> event) of a planned диспансеризация or профосмотр that draws
/// near, once per version of the plan. A corrected version that moves the date is reminded again; one that keeps the
/// date is not (the patient already knows it).
/// </summary>
public static class PreventiveExamReminders
{
    public const int DefaultBatchSize = 100;
    public const int DefaultLeadDays = 7;

    // FHIR CarePlan statuses of a plan not yet done nor withdrawn ("completed" and "revoked" are not reminded).
    private static readonly string[] PlannedStatuses = ["draft", "active", "on-hold"];

    /// <summary>
    /// One batch in one transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances of the service
    /// sweep side by side without announcing a plan twice. Only current versions whose planned date lies between
    /// Moscow's today and today plus <paramref name="leadDays"/> are claimed: a date already past is not "upcoming".
    /// </summary>
    /// <returns>How many items were claimed; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SweepAsync(RecordsDb db, PatientDataKeys<RecordsDb> keys, TimeProvider time, int leadDays = DefaultLeadDays,
        int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var (from, _) = MoscowTime.DayBounds(MoscowTime.DateOf(now));
        var until = from.AddDays(leadDays + 1);
        var kind = RecordItemKinds.PreventiveExam;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Items
            .FromSql($"""
                SELECT * FROM record_items
                WHERE kind = {kind} AND is_current AND notified_at IS NULL AND status = ANY({PlannedStatuses})
                  AND effective_at >= {from} AND effective_at < {until}
                ORDER BY effective_at
                LIMIT {batchSize}
                FOR UPDATE OF record_items SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        // Earlier versions already reminded for the same date: the correction changed something else.
        var recordIds = due.Where(i => i.Version > 1).Select(i => i.RecordId).ToList();
        var remindedDates = recordIds.Count == 0
            ? []
            : await db.Items.Where(i => recordIds.Contains(i.RecordId) && i.NotifiedAt != null)
                .Select(i => new { i.RecordId, i.EffectiveAt }).ToListAsync(ct);

        var ciphers = await keys.ForReadingAsync(due.Select(i => i.PatientId), ct);
        foreach (var item in due)
        {
            item.MarkNotified(now);
            // An exam already under way ("in_progress": some steps done) needs no reminder.
            var details = RecordDetails.Deserialize<PreventiveExamDetails>(ciphers[item.PatientId].OpenText(item.Details));
            if (details.ExamStatus != "planned"
                || remindedDates.Any(r => r.RecordId == item.RecordId && r.EffectiveAt == item.EffectiveAt))
            {
                continue;
            }

            db.AddOutboxEvent(new PreventiveExamDue(item.Id, item.PatientId, details.Program, details.Stage,
                item.OrganizationName,
                details.PlannedOn ?? MoscowTime.DateOf(item.EffectiveAt), now));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }
}

/// <summary>Configuration section Records:PreventiveExamDue.</summary>
public sealed class PreventiveExamDueOptions
{
    public const string Section = "Records:PreventiveExamDue";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many days ahead of the planned date the patient is reminded.</summary>
    public int LeadDays { get; set; } = PreventiveExamReminders.DefaultLeadDays;

    public int BatchSize { get; set; } = PreventiveExamReminders.DefaultBatchSize;
}

/// <summary>Runs <see cref="PreventiveExamReminders.SweepAsync"/> every <see cref="PreventiveExamDueOptions.Interval"/>.</summary>
public sealed class PreventiveExamDueSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<PreventiveExamDueOptions> options,
    ILogger<PreventiveExamDueSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sweeping due preventive exams";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var queued = await PreventiveExamReminders.SweepAsync(services.GetRequiredService<RecordsDb>(),
            services.GetRequiredService<PatientDataKeys<RecordsDb>>(), Time,
            options.Value.LeadDays, BatchSize, ct);
        if (queued > 0)
        {
            Logger.LogInformation("Swept {Count} preventive exam reminders", queued);
        }

        return queued;
    }
}
