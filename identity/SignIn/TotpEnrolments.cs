using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>A TOTP secret waiting for its first code: shown once, as text and as an otpauth:// URI for a QR code.</summary>
public sealed record TotpEnrolment(string Secret, string OtpauthUri, DateTimeOffset ExpiresAt);

public enum TotpConfirmation { Enabled, NotStarted, WrongCode, TooManyAttempts }

/// <summary>
/// Connecting an authenticator app: a new secret waits in Redis (protected like the stored ones) for
/// <see cref="PendingLifetime"/>; the first right code from the app proves it was set up and turns TOTP on, with that
/// code's step as the last one used, so the same code cannot sign in afterwards. Until then the old secret, if any,
/// stays in force.
/// </summary>
public sealed class TotpEnrolments(
    IdentityDb db,
    IKeyValueStore store,
    TotpSecrets secrets,
    PasskeyFactor passkeys,
    SecurityEvents events,
    TimeProvider time,
    ILogger<TotpEnrolments> logger)
{
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Wrong codes after which the pending secret is dropped and enrolment starts over.</summary>
    public const int MaxWrongCodes = 5;

    public async Task<TotpEnrolment> StartAsync(HealthUser user, CancellationToken ct)
    {
        var secret = TotpCodes.NewSecret();
        await store.SetAsync(PendingKey(user.Id), secrets.Protect(secret), PendingLifetime, ct);
        await store.DeleteAsync(AttemptsKey(user.Id), ct);
        return new TotpEnrolment(secret, TotpCodes.ProvisioningUri(secret, user.UserName ?? user.Id.ToString()), time.GetUtcNow() + PendingLifetime);
    }

    public async Task<TotpConfirmation> ConfirmAsync(HealthUser user, string code, CancellationToken ct)
    {
        if (await store.GetAsync(PendingKey(user.Id), ct) is not { } protectedSecret) return TotpConfirmation.NotStarted;
        string secret;
        try
        {
            secret = secrets.Unprotect(protectedSecret);
        }
        catch (CryptographicException ex)
        {
            logger.LogWarning(ex, "The pending TOTP secret of {UserId} cannot be read; enrolment starts over", user.Id);
            await store.DeleteAsync(PendingKey(user.Id), ct);
            return TotpConfirmation.NotStarted;
        }

        if (!TotpCodes.TryMatch(secret, code, time.GetUtcNow(), out var step))
        {
            if (await store.IncrementAsync(AttemptsKey(user.Id), PendingLifetime, ct) < MaxWrongCodes) return TotpConfirmation.WrongCode;
            await store.DeleteAsync(PendingKey(user.Id), ct);
            return TotpConfirmation.TooManyAttempts;
        }
        // Taken atomically: of two confirmations racing with the same code, one enables.
        if (await store.TakeAsync(PendingKey(user.Id), ct) is null) return TotpConfirmation.NotStarted;

        var now = time.GetUtcNow();
        var wasEnabled = user.TotpEnabledAt is not null;
        user.TotpSecret = protectedSecret;
        user.TotpEnabledAt = now;
        user.TotpLastStep = step;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        events.Add(SecurityEventKinds.SecondFactorChanged, user.Id, details: new Dictionary<string, string>
        {
            ["factor"] = "totp",
            ["change"] = wasEnabled ? "replaced" : "enabled",
        });
        await db.SaveChangesAsync(ct);
        await store.DeleteAsync(AttemptsKey(user.Id), ct);
        logger.LogInformation("TOTP {Change} for user {UserId}", wasEnabled ? "replaced" : "enabled", user.Id);
        return TotpConfirmation.Enabled;
    }

    /// <summary>
    /// Whether turning TOTP off would leave the person without any second factor: then they could not sign in at all,
    /// so it is refused.
    /// </summary>
    public async Task<bool> IsOnlyFactorAsync(HealthUser user) =>
        SecondFactors.Destination(user, SecondFactorKind.Sms) is null
        && SecondFactors.Destination(user, SecondFactorKind.Email) is null
        && !await passkeys.IsAvailableAsync(user);

    /// <summary>Turns TOTP off; false when it was not on.</summary>
    public async Task<bool> DisableAsync(HealthUser user, CancellationToken ct)
    {
        if (user.TotpSecret is null && user.TotpEnabledAt is null) return false;
        user.TotpSecret = null;
        user.TotpEnabledAt = null;
        user.TotpLastStep = null;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        events.Add(SecurityEventKinds.SecondFactorChanged, user.Id, details: new Dictionary<string, string>
        {
            ["factor"] = "totp",
            ["change"] = "disabled",
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("TOTP disabled for user {UserId}", user.Id);
        return true;
    }

    private static string PendingKey(Guid userId) => $"totp:enrolment:{userId:N}";
    private static string AttemptsKey(Guid userId) => $"totp:enrolment:{userId:N}:wrong";
}
