using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Appointments.Booking;

/// <summary>
/// Stored first answers to requests with an Idempotency-Key are kept for a day: a client retries within seconds or
/// minutes, and a key older than that is treated as new (a repeated booking of the same slot then finds it taken by
/// the first one anyway).
/// </summary>
public static class IdempotencyKeyRetention
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    public const int DefaultBatchSize = 1000;

    /// <summary>Deletes one batch of expired answers; rows another instance is deleting are skipped.</summary>
    /// <returns>How many were deleted; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static Task<int> PurgeAsync(AppointmentsDb db, DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        var expiredBefore = now - KeptFor;
        return db.Database.ExecuteSqlAsync($"""
            DELETE FROM idempotent_requests
            WHERE ctid IN (SELECT ctid FROM idempotent_requests WHERE created_at < {expiredBefore}
                           LIMIT {batchSize} FOR UPDATE SKIP LOCKED)
            """, ct);
    }

    public static IHostApplicationBuilder AddIdempotencyKeyRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyKeyPurgeOptions>().BindConfiguration("Appointments:IdempotencyKeyPurge");
        builder.Services.AddHostedService<IdempotencyKeyPurger>();
        return builder;
    }
}

/// <summary>Configuration section Appointments:IdempotencyKeyPurge.</summary>
public sealed class IdempotencyKeyPurgeOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int BatchSize { get; set; } = IdempotencyKeyRetention.DefaultBatchSize;
}

/// <summary>Runs <see cref="IdempotencyKeyRetention.PurgeAsync"/> every <see cref="IdempotencyKeyPurgeOptions.Interval"/>.</summary>
public sealed class IdempotencyKeyPurger(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<IdempotencyKeyPurgeOptions> options,
    ILogger<IdempotencyKeyPurger> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "purging expired idempotency keys";

    protected override Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct) =>
        IdempotencyKeyRetention.PurgeAsync(services.GetRequiredService<AppointmentsDb>(), Time.GetUtcNow(), BatchSize, ct);
}
