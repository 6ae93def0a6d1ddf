using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>How long codes live, how many wrong tries burn one, how often a destination may get one.</summary>
public sealed record OneTimeCodeLimits
{
    public static readonly OneTimeCodeLimits Default = new();

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>At most one code per destination in this interval...</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>...and at most this many per destination in an hour (a fixed window from the first).</summary>
    public int MaxSendsPerHour { get; init; } = 5;
}

/// <summary>
/// 6-digit codes sent by SMS or e-mail to prove a person holds a phone or a mailbox: at registration,
/// sign-in, recovery and contact changes. A code belongs to one flow, purpose and channel; it lives
/// 5 minutes, is accepted once, and 5 wrong tries burn it. Only a keyed hash of it is stored
/// (<see cref="OneTimeCodeKey"/>). Sending is throttled per destination in Redis, so that nobody can
/// flood a stranger's phone or run up the SMS bill.
/// </summary>
public sealed class OneTimeCodes(
    IdentityDb db,
    IKeyValueStore store,
    OneTimeCodeKey hashKey,
    ContactMessenger messenger,
    TimeProvider time,
    ILogger<OneTimeCodes> logger,
    OneTimeCodeLimits? limits = null)
{
    public const int CodeLength = 6;

    private readonly OneTimeCodeLimits _limits = limits ?? OneTimeCodeLimits.Default;

    /// <summary>
    /// Sends a new code for <paramref name="flowId"/> to <paramref name="destination"/> (a phone number
    /// for SMS, an e-mail address for e-mail; normalized here). Older codes of the same flow, purpose and
    /// channel stop working. Nothing is stored or sent when the destination is throttled.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is not a phone number / e-mail address.</exception>
    public async Task<CodeSendResult> SendAsync(OneTimeCodePurpose purpose, Guid flowId, Guid? userId, ContactChannel channel,
        string destination, CancellationToken ct)
    {
        var to = NormalizeDestination(channel, destination);
        if (await ThrottleAsync(to, ct) is { } retryAfter)
        {
            logger.LogInformation("A {Purpose} code by {Channel} was throttled for {RetryAfterSeconds} s", purpose, channel, (int)Math.Ceiling(retryAfter.TotalSeconds));
            return CodeSendResult.ThrottledFor(retryAfter);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var entry = new OneTimeCode
        {
            Id = id,
            UserId = userId,
            FlowId = flowId,
            Purpose = purpose,
            Channel = channel,
            Destination = to,
            CodeHash = Hash(await hashKey.GetAsync(ct), id, code),
            CreatedAt = now,
            ExpiresAt = now + _limits.Lifetime,
        };
        db.OneTimeCodes.Add(entry);
        await db.SaveChangesAsync(ct);

        // Only the newest code of a flow is ever checked; expiring the older ones also tells the cleanup they are done.
        await db.OneTimeCodes
            .Where(c => c.FlowId == flowId && c.Purpose == purpose && c.Channel == channel && c.Id != id && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, now), ct);

        await messenger.SendAsync(channel, to, MessageText(purpose, channel, code), ct);
        return CodeSendResult.Sent(entry.ExpiresAt);
    }

    /// <summary>
    /// Checks <paramref name="code"/> against the newest code sent for this flow, purpose and channel and,
    /// when it is right, consumes it. A code of another flow, purpose or channel is simply wrong.
    /// </summary>
    public async Task<CodeCheckResult> VerifyAsync(OneTimeCodePurpose purpose, Guid flowId, ContactChannel channel, string code, CancellationToken ct)
    {
        var entry = await db.OneTimeCodes.AsNoTracking()
            .Where(c => c.FlowId == flowId && c.Purpose == purpose && c.Channel == channel)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);
        if (entry is null) return CodeCheckResult.Invalid;

        var now = time.GetUtcNow();
        if (entry.ConsumedAt is not null) return CodeCheckResult.AlreadyUsed;
        if (entry.FailedAttempts >= _limits.MaxFailedAttempts) return CodeCheckResult.TooManyAttempts;
        if (now >= entry.ExpiresAt) return CodeCheckResult.Expired;

        // An attempt is reserved (counted) before the code is compared, atomically and only while attempts
        // remain: however many guesses arrive at once, at most MaxFailedAttempts are ever compared.
        var max = _limits.MaxFailedAttempts;
        var reserved = await db.OneTimeCodes
            .Where(c => c.Id == entry.Id && c.ConsumedAt == null && c.FailedAttempts < max)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1), ct);
        if (reserved == 0) return await StateAfterRaceAsync(entry.Id, now, ct);

        var matches = IsWellFormed(code) && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(await hashKey.GetAsync(ct), entry.Id, code)), Encoding.ASCII.GetBytes(entry.CodeHash));
        if (!matches)
        {
            logger.LogInformation("A wrong {Purpose} code by {Channel} (attempt {Attempt} of {Max})", purpose, channel, entry.FailedAttempts + 1, max);
            return entry.FailedAttempts + 1 >= max ? CodeCheckResult.TooManyAttempts : CodeCheckResult.Invalid;
        }

        // The right code: consume it once (a concurrent check of the same code finds it consumed) and give the
        // reserved attempt back, since it did not fail.
        var consumed = await db.OneTimeCodes
            .Where(c => c.Id == entry.Id && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ConsumedAt, now)
                .SetProperty(c => c.FailedAttempts, c => c.FailedAttempts - 1), ct);
        return consumed == 1 ? CodeCheckResult.Valid : await StateAfterRaceAsync(entry.Id, now, ct);
    }

    /// <summary>
    /// The text a person receives. Each purpose says what the code is for, so that a code asked for by
    /// someone else ("to sign in") is not handed over in the belief that it does something harmless.
    /// </summary>
    public static string MessageText(OneTimeCodePurpose purpose, ContactChannel channel, string code) => purpose switch
    {
        OneTimeCodePurpose.SignIn => $"Код для входа в «Моё здоровье»: {code}. Никому не сообщайте его.",
        OneTimeCodePurpose.Registration => $"Код для регистрации в «Моё здоровье»: {code}. Никому не сообщайте его.",
        OneTimeCodePurpose.Recovery => $"Код для восстановления доступа в «Моё здоровье»: {code}. Никому не сообщайте его, даже сотрудникам поддержки.",
        OneTimeCodePurpose.ContactChange => channel == ContactChannel.Sms
            ? $"Код для подтверждения нового телефона в «Моё здоровье»: {code}. Никому не сообщайте его."
            : $"Код для подтверждения новой почты в «Моё здоровье»: {code}. Никому не сообщайте его.",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    /// <summary>The destination as stored and throttled: +7XXXXXXXXXX or a lower-case e-mail address.</summary>
    public static string NormalizeDestination(ContactChannel channel, string destination) => channel switch
    {
        ContactChannel.Sms => PhoneNumbers.TryNormalize(destination, out var phone)
            ? phone : throw new ArgumentException("Not a Russian phone number.", nameof(destination)),
        ContactChannel.Email => EmailAddresses.TryNormalize(destination, out var email)
            ? email : throw new ArgumentException("Not an e-mail address.", nameof(destination)),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>
    /// One code per destination per <see cref="OneTimeCodeLimits.ResendInterval"/> and at most
    /// <see cref="OneTimeCodeLimits.MaxSendsPerHour"/> an hour; null when a code may go now (and the send is counted).
    /// The Redis keys name a hash of the destination, not the phone or address itself.
    /// </summary>
    private async Task<TimeSpan?> ThrottleAsync(string destination, CancellationToken ct)
    {
        var prefix = "identity:one-time-codes:sent:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(destination)));
        var recentKey = prefix + ":recent";
        if (!await store.SetIfAbsentAsync(recentKey, "1", _limits.ResendInterval, ct))
            return await store.GetTimeToLiveAsync(recentKey, ct) ?? _limits.ResendInterval;

        var hourKey = prefix + ":hour";
        if (await store.IncrementAsync(hourKey, TimeSpan.FromHours(1), ct) > _limits.MaxSendsPerHour)
            return await store.GetTimeToLiveAsync(hourKey, ct) ?? TimeSpan.FromHours(1);
        return null;
    }

    /// <summary>Why an atomic update found nothing to change: another request consumed or burnt the code, or it just expired.</summary>
    private async Task<CodeCheckResult> StateAfterRaceAsync(Guid id, DateTimeOffset now, CancellationToken ct)
    {
        var state = await db.OneTimeCodes.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.ConsumedAt, c.FailedAttempts, c.ExpiresAt }).SingleAsync(ct);
        if (state.ConsumedAt is not null) return CodeCheckResult.AlreadyUsed;
        if (state.FailedAttempts >= _limits.MaxFailedAttempts) return CodeCheckResult.TooManyAttempts;
        return now >= state.ExpiresAt ? CodeCheckResult.Expired : CodeCheckResult.Invalid;
    }

    private static bool IsWellFormed(string? code) => code is { Length: CodeLength } && code.All(char.IsAsciiDigit);

    /// <summary>HMAC-SHA256 over the code's id and the code, hex (64 characters): equal codes of two rows hash differently.</summary>
    private static string Hash(byte[] key, Guid id, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id:N}:{code}")));
}
