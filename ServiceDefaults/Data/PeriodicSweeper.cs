using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Data;

/// <summary>
/// Runs a sweep of due rows every <see cref="Interval"/>: batch after batch, each in a scope (and DbContext) of its own,
/// while the batches come back full. The sweep claims its rows itself (FOR UPDATE SKIP LOCKED), so every instance of a
/// service may run it side by side. A failing round is logged and the next one retries: a sweep never stops a service.
/// </summary>
public abstract class PeriodicSweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>What the sweep does, for the log ("sending due appointment reminders").</summary>
    protected abstract string Activity { get; }

    /// <summary>One batch of at most <see cref="BatchSize"/> rows.</summary>
    /// <returns>How many rows the batch claimed; fewer than <see cref="BatchSize"/> means none are left due.</returns>
    protected abstract Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int claimed;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    claimed = await SweepBatchAsync(scope.ServiceProvider, stoppingToken);
                }
                while (claimed >= BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Logger.LogError(e, "Failed {Activity}; the next round retries", Activity);
            }

            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
