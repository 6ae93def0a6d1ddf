using System.Globalization;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>
/// Every use of an HSM key becomes part of the security log: the exact count per key and operation is published (via
/// <typeparamref name="TDb"/>'s outbox, to Audit) as one security event per minute and at shutdown, not one per
/// signature or unwrap, so a token or a page of a record costs no extra write.
/// </summary>
public sealed class HsmKeyUsageLog<TDb>(Pkcs11Hsm hsm, IServiceScopeFactory scopes, TimeProvider time, IHostEnvironment environment,
    ILogger<HsmKeyUsageLog<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private DateTimeOffset _periodStart = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Publishes the uses counted since the last flush; public so tests need not wait a minute.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var from = _periodStart;
        var to = _periodStart = time.GetUtcNow();
        var uses = hsm.DrainUsage();
        if (uses.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDb>();
            foreach (var use in uses)
            {
                db.AddOutboxEvent(new SecurityEventRecorded(Guid.CreateVersion7(), SecurityEventKinds.KeyUsed, SubjectId: null,
                    ActorId: null, ClientId: null, IpAddress: null, UserAgent: null, Outcome: "success",
                    new Dictionary<string, string>
                    {
                        ["service"] = environment.ApplicationName,
                        ["key"] = use.Key,
                        ["operation"] = use.Operation,
                        ["count"] = use.Count.ToString(CultureInfo.InvariantCulture),
                        ["from"] = from.ToString("O", CultureInfo.InvariantCulture),
                        ["to"] = to.ToString("O", CultureInfo.InvariantCulture),
                    }, to));
                logger.LogInformation("HSM key {KeyLabel} was used for {Operation} {Count} times from {From} to {To}",
                    use.Key, use.Operation, use.Count, from, to);
            }
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The counts still reach the log (and the metric has them): a failed write loses no use unaccounted.
            foreach (var use in uses)
                logger.LogError(e, "HSM key {KeyLabel} was used for {Operation} {Count} times from {From} to {To}; the security event was not saved",
                    use.Key, use.Operation, use.Count, from, to);
        }
    }
}
