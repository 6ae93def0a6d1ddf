using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.SickLeave.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.SickLeave.Requests;

/// <summary>Flags requests left unanswered past their 24 hours as overdue and tells the patient (an event).</summary>
public static class OverdueRequests
{
    public const int DefaultBatchSize = 100;

    /// <summary>
    /// One batch in one transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances sweep side by
    /// side without flagging (and announcing) a request twice; an answer saved meanwhile wins or waits (UpdatedAt is
    /// the concurrency token).
    /// </summary>
    public static async Task<int> SweepAsync(SickLeaveDb db, TimeProvider time, int batchSize = DefaultBatchSize,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Requests
            .FromSql($"""
                SELECT * FROM missing_certificate_requests
                WHERE status = 'submitted' AND due_at <= {now}
                ORDER BY due_at
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        var flagged = 0;
        foreach (var request in due.Where(r => r.MarkOverdue(now)))
        {
            flagged++;
            db.AddOutboxEvent(new SickLeaveRequestStatusChanged(request.Id, request.PatientId, request.OrganizationId,
                request.OrganizationName, SickLeaveRequestStatuses.Overdue, null, null, null, now));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return flagged;
    }
}

/// <summary>Configuration section SickLeave:OverdueSweep.</summary>
public sealed class OverdueSweepOptions
{
    public const string Section = "SickLeave:OverdueSweep";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = OverdueRequests.DefaultBatchSize;
}

public sealed class OverdueRequestsSweeper(IServiceScopeFactory scopes, TimeProvider time, IOptions<OverdueSweepOptions> options,
    ILogger<OverdueRequestsSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "flagging overdue missing-certificate requests";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var flagged = await OverdueRequests.SweepAsync(services.GetRequiredService<SickLeaveDb>(), Time, BatchSize, ct);
        if (flagged > 0) Logger.LogInformation("Flagged {Count} missing-certificate requests overdue", flagged);
        return flagged;
    }
}
