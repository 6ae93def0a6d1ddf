using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>What one more failed attempt did: its number in the row, and the lockout it caused, if any.</summary>
public sealed record FailedAttempt(int AttemptInARow, DateTimeOffset? LockedUntil)
{
    public bool LockedOut => LockedUntil is not null;
}

/// <summary>
/// Locks an account after <see cref="SignInOptions.FailuresBeforeLockout"/> failed attempts in a row, password and
/// second factor alike: 5 minutes the first time, twice as long on each repeat, at most an hour; a successful sign-in
/// starts over. The lockout is kept in Identity's own columns (AccessFailedCount, LockoutEnd) plus
/// <see cref="HealthUser.ConsecutiveLockouts"/>, but counted here against <see cref="TimeProvider"/>, since Identity's
/// own lockout grows nothing and reads the system clock.
/// </summary>
public sealed class AccountLockout(
    IdentityDb db,
    SecurityEvents events,
    ContactMessenger messenger,
    IKeyValueStore store,
    IOptions<SignInOptions> options,
    TimeProvider time,
    ILogger<AccountLockout> logger)
{
    private SignInOptions Options => options.Value;

    /// <summary>When the account unlocks, or null when it is not locked now.</summary>
    public DateTimeOffset? LockedUntil(HealthUser user) =>
        user.LockoutEnabled && user.LockoutEnd is { } end && end > time.GetUtcNow() ? end : null;

    /// <summary>
    /// Whether the person may lift the lockout themselves (password recovery): only one that failed sign-ins caused,
    /// never an operator's lock, which is longer than any lockout of failed attempts or comes without one.
    /// </summary>
    public bool MayBeLiftedByRecovery(HealthUser user) =>
        LockedUntil(user) is not { } end || (user.ConsecutiveLockouts > 0 && end <= time.GetUtcNow() + Options.LongestLockout);

    /// <summary>
    /// Counts a failed attempt and locks the account on the last one allowed. The count, the lockout and the security
    /// events (<see cref="SecurityEventKinds.SignInFailed"/> or <see cref="SecurityEventKinds.SecondFactorFailed"/>, and
    /// <see cref="SecurityEventKinds.LockedOut"/>) are committed together; then the person is told on their channel.
    /// </summary>
    /// <param name="kind">The security event of the failure.</param>
    /// <param name="reason">Why it failed (wrong_password, wrong_code, expired_code, totp_replay, ...): never the secret itself.</param>
    public async Task<FailedAttempt> RecordFailureAsync(HealthUser user, string kind, string reason, string? clientId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        FailedAttempt outcome;
        while (true)
        {
            // Compare-and-swap on the counters: two guesses at the same moment are both counted, none is lost.
            var current = await db.Users.AsNoTracking().Where(u => u.Id == user.Id)
                .Select(u => new { u.AccessFailedCount, u.ConsecutiveLockouts, u.LockoutEnd })
                .SingleAsync(ct);
            var attempt = current.AccessFailedCount + 1;
            var lockouts = current.ConsecutiveLockouts;
            var lockedUntil = current.LockoutEnd;
            var lockingNow = attempt >= Options.FailuresBeforeLockout;
            if (lockingNow)
            {
                lockouts++;
                lockedUntil = time.GetUtcNow() + Options.LockoutDuration(lockouts);
            }

            var stamp = Guid.NewGuid().ToString();
            var updated = await db.Users
                .Where(u => u.Id == user.Id && u.AccessFailedCount == current.AccessFailedCount && u.ConsecutiveLockouts == current.ConsecutiveLockouts)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.AccessFailedCount, lockingNow ? 0 : attempt)
                    .SetProperty(u => u.ConsecutiveLockouts, lockouts)
                    .SetProperty(u => u.LockoutEnd, lockedUntil)
                    // A stale copy of the user saved elsewhere (UserManager.UpdateAsync) must fail, not undo the count.
                    .SetProperty(u => u.ConcurrencyStamp, stamp), ct);
            if (updated == 0) continue;

            outcome = new FailedAttempt(attempt, lockingNow ? lockedUntil : null);
            db.Mirror(user, u =>
            {
                u.AccessFailedCount = lockingNow ? 0 : attempt;
                u.ConsecutiveLockouts = lockouts;
                u.LockoutEnd = lockedUntil;
                u.ConcurrencyStamp = stamp;
            });
            events.Add(kind, user.Id, SecurityEvents.Failure, new Dictionary<string, string>
            {
                ["reason"] = reason,
                ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
            }, clientId: clientId);
            if (outcome.LockedUntil is { } until)
            {
                events.Add(SecurityEventKinds.LockedOut, user.Id, SecurityEvents.Success, new Dictionary<string, string>
                {
                    ["attempts"] = attempt.ToString(CultureInfo.InvariantCulture),
                    ["lockout_in_a_row"] = lockouts.ToString(CultureInfo.InvariantCulture),
                    ["minutes"] = ((int)Options.LockoutDuration(lockouts).TotalMinutes).ToString(CultureInfo.InvariantCulture),
                    ["until"] = until.ToString("O", CultureInfo.InvariantCulture),
                }, clientId: clientId);
            }
            await db.SaveChangesAsync(ct);
            break;
        }
        await transaction.CommitAsync(ct);

        if (outcome.LockedUntil is { } lockedTill)
        {
            logger.LogWarning("Account {UserId} locked until {Until} after {Attempts} failed sign-in attempts", user.Id, lockedTill, outcome.AttemptInARow);
            await NotifyAsync(user, outcome.AttemptInARow, lockedTill, ct);
        }
        return outcome;
    }

    /// <summary>A complete sign-in: the next failure is the first of a new row, and the next lockout is short again.</summary>
    public async Task ResetAsync(HealthUser user, CancellationToken ct)
    {
        if (user.AccessFailedCount == 0 && user.ConsecutiveLockouts == 0 && user.LockoutEnd is null) return;
        var stamp = Guid.NewGuid().ToString();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.AccessFailedCount, 0)
            .SetProperty(u => u.ConsecutiveLockouts, 0)
            .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null)
            .SetProperty(u => u.ConcurrencyStamp, stamp), ct);
        db.Mirror(user, u =>
        {
            u.AccessFailedCount = 0;
            u.ConsecutiveLockouts = 0;
            u.LockoutEnd = null;
            u.ConcurrencyStamp = stamp;
        });
    }

    /// <summary>
    /// An unknown login is locked out just like an account after the same number of failures, so that a guesser
    /// cannot tell from the lockout which logins exist. It lives only in Redis and never grows.
    /// </summary>
    public async Task<DateTimeOffset?> UnknownLoginLockedUntilAsync(string login, CancellationToken ct)
    {
        var value = await store.GetAsync(UnknownLoginKey(login, "until"), ct);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until) && until > time.GetUtcNow()
            ? until
            : null;
    }

    public async Task<FailedAttempt> RecordUnknownLoginFailureAsync(string login, CancellationToken ct)
    {
        var attempt = (int)await store.IncrementAsync(UnknownLoginKey(login, "failures"), Options.LongestLockout, ct);
        if (attempt < Options.FailuresBeforeLockout) return new FailedAttempt(attempt, null);

        await store.DeleteAsync(UnknownLoginKey(login, "failures"), ct);
        var until = time.GetUtcNow() + Options.FirstLockout;
        await store.SetAsync(UnknownLoginKey(login, "until"), until.ToString("O", CultureInfo.InvariantCulture), Options.FirstLockout, ct);
        return new FailedAttempt(attempt, until);
    }

    // The login is hashed: the cache holds no list of what people typed.
    private static string UnknownLoginKey(string login, string part) =>
        $"signin:unknown:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login.Trim().ToUpperInvariant())))[..32]}:{part}";

    /// <summary>Tells the person on their confirmed channel (SMS, else e-mail), so that they learn of an attack on their account.</summary>
    private async Task NotifyAsync(HealthUser user, int attempts, DateTimeOffset until, CancellationToken ct)
    {
        var (channel, destination) = user switch
        {
            { PhoneNumberConfirmed: true, PhoneNumber: { Length: > 0 } phone } => (ContactChannel.Sms, phone),
            { EmailConfirmed: true, Email: { Length: > 0 } email } => (ContactChannel.Email, email),
            _ => (ContactChannel.Sms, (string?)null),
        };
        if (destination is null)
        {
            logger.LogWarning("Account {UserId} was locked out but has no confirmed phone or e-mail to be told on", user.Id);
            return;
        }

        var text = $"Госуслуги.Здоровье: {attempts} {Attempts(attempts)} входа в вашу учётную запись подряд. " +
                   $"Вход заблокирован до {MoscowTime.Format(until, time.GetUtcNow())}. " +
                   "Если это были не вы — восстановите пароль.";
        try
        {
            await messenger.SendAsync(channel, destination, text, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lockout stands whether or not the message went out; a failed delivery must not turn into a 500 page.
            logger.LogError(ex, "Could not tell account {UserId} about its lockout", user.Id);
        }
    }

    private static string Attempts(int n) => (n % 10, n % 100) switch
    {
        (1, not 11) => "неудачная попытка",
        (2 or 3 or 4, not (12 or 13 or 14)) => "неудачные попытки",
        _ => "неудачных попыток",
    };
}
