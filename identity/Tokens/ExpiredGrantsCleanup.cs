using Gosuslugi.Health.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Deletes authorization codes and refresh tokens that can no longer be used.</summary>
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
                var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
                var before = time.GetUtcNow() - KeepFor;
                var codes = await db.AuthorizationCodes.Where(c => c.ExpiresAt < before).ExecuteDeleteAsync(stoppingToken);
                var tokens = await db.RefreshTokens.Where(t => t.FamilyExpiresAt < before).ExecuteDeleteAsync(stoppingToken);
                if (codes + tokens > 0) logger.LogInformation("Deleted {Codes} expired authorization codes and {Tokens} refresh tokens", codes, tokens);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Deleting expired grants failed; retrying in {Interval}", Interval);
            }
        }
    }
}
