using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Disputes.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Disputes.Overdue;

/// <summary>Marks open requests whose answer time has passed as overdue and tells the patient (an event).</summary>
public static class OverdueDataRequests
{
    public const int DefaultBatchSize = 100;

    /// <summary>
    /// One batch in one transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances of the
    /// service sweep side by side without marking (and announcing) a request twice, and an organization's answer
    /// saved meanwhile waits for the batch or wins (the concurrency token on UpdatedAt).
    /// </summary>
    /// <returns>How many requests became overdue; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SweepAsync(DisputesDb db, TimeProvider time, int batchSize = DefaultBatchSize,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.DataRequests
            .FromSql($"""
                SELECT * FROM data_requests
                WHERE status IN ('submitted', 'in_progress') AND due_at <= {now}
                ORDER BY due_at
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        var marked = 0;
        foreach (var request in due)
        {
            if (!request.MarkOverdue(now))
            {
                continue;
            }

            marked++;
            db.AddOutboxEvent(new DataRequestStatusChanged(request.Id, request.PatientId, request.OrganizationId,
                request.OrganizationName, DataRequestStatuses.Overdue, null, now));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return marked;
    }
}

/// <summary>Configuration section Disputes:OverdueSweep.</summary>
public sealed class OverdueSweepOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = OverdueDataRequests.DefaultBatchSize;
}

/// <summary>Runs <see cref="OverdueDataRequests.SweepAsync"/> every <see cref="OverdueSweepOptions.Interval"/>.</summary>
public sealed class OverdueDataRequestsSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<OverdueSweepOptions> options,
    ILogger<OverdueDataRequestsSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sweeping overdue data requests";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var marked = await OverdueDataRequests.SweepAsync(services.GetRequiredService<DisputesDb>(), Time, BatchSize, ct);
        if (marked > 0)
        {
            Logger.LogInformation("Marked {Count} data requests overdue", marked);
        }

        return marked;
    }
}
