using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// Rotates the signing keys when the current one has signed for <see cref="KeyRotationOptions.Interval"/>. Every
/// instance runs it; <see cref="SigningKeyStore.RotateAsync"/> checks the age again under a database lock, so one
/// rotation happens however many instances look. Keys past their retention are then destroyed in the HSM.
/// </summary>
public sealed class SigningKeyRotationJob(
    SigningKeyStore keys,
    IOptions<KeyRotationOptions> options,
    TimeProvider time,
    ILogger<SigningKeyRotationJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(o.CheckEvery, time);
        do
        {
            try
            {
                await keys.RotateAsync(actorId: null, onlyIfCurrentOlderThan: o.Interval, stoppingToken);
                await keys.DestroyExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The current key keeps signing meanwhile: a late rotation is not an outage.
                logger.LogError(e, "Checking the signing key rotation failed; retrying in {Interval}", o.CheckEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
