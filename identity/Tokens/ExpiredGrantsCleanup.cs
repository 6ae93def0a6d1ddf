using OpenIddict.Abstractions;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Deletes codes, refresh tokens and authorizations that can no longer be used (OpenIddict's pruning, hourly).</summary>
public sealed class ExpiredGrantsCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<ExpiredGrantsCleanup> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // Kept a day past expiry, so that a replayed code or token is still recognised as a replay.
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var before = time.GetUtcNow() - KeepFor;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(before, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(before, stoppingToken);
                if (tokens + authorizations > 0) logger.LogInformation("Deleted {Tokens} expired tokens and {Authorizations} authorizations", tokens, authorizations);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Deleting expired grants failed; retrying in {Interval}", Interval);
            }
        }
    }
}
