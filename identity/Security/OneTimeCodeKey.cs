using System.Security.Cryptography;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// The server-side key of one-time-code hashes (HMAC-SHA256). A 6-digit code has only a million values,
/// so a plain or salted hash in <c>one_time_codes</c> would be reversed offline in a moment; keyed with a
/// secret that is not in the database at all, the table (or a backup, or a leaked dump) reveals nothing.
/// </summary>
/// <remarks>
/// <para>Where the key lives, and why: every instance of identity must use the same key (a code sent by one
/// is checked by another), yet the key has to outlive a code by minutes only. So it is a random 32-byte
/// value created on first use in Redis — SET NX, so that instances starting together agree on one — and
/// kept there. Redis is internal and password-protected; the database never sees the key.</para>
/// <para>Not wrapped with Data Protection on purpose: its key ring is per database, and test hosts (or
/// several stands) sharing one Redis would then be unable to read each other's value.</para>
/// <para>If Redis loses the key (flushed, evicted), the next use creates a new one: codes sent in the
/// minutes before stop matching and the person asks for a new code; nothing else depends on it.</para>
/// </remarks>
public sealed class OneTimeCodeKey(IKeyValueStore store)
{
    public const string RedisKey = "identity:one-time-codes:hash-key";

    /// <summary>Long enough never to expire under a running system (SET NX here takes an expiry).</summary>
    private static readonly TimeSpan StoredFor = TimeSpan.FromDays(3650);

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        var stored = await store.GetAsync(RedisKey, ct);
        if (stored is null)
        {
            await store.SetIfAbsentAsync(RedisKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), StoredFor, ct);
            stored = await store.GetAsync(RedisKey, ct)
                ?? throw new InvalidOperationException("The one-time-code key vanished from Redis right after it was stored.");
        }
        // Read every time (one GET per code sent or checked): a key replaced in Redis is used at once by every instance.
        return Convert.FromBase64String(stored);
    }
}
