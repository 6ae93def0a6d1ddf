using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using static Gosuslugi.Health.ServiceDefaults.Caching.RedisConnection;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

/// <summary>
/// IDistributedCache on Redis. Each entry is a hash {data, abs, sld} whose key expires at the earlier of the absolute
/// expiry and now + sliding; reads and Refresh push the expiry forward by the sliding window.
/// </summary>
internal sealed class RedisDistributedCache(RedisConnectionPool redis, TimeProvider time) : IDistributedCache
{
    private const string NoExpiry = "-1";

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var reply = (await redis.ExecuteAsync(Command("HMGET", key, "data", "abs", "sld"), token)).ThrowIfError();
        var items = reply.Items;
        if (items is null || items.Length < 3 || items[0].Bulk is null) return null;
        await SlideAsync(key, items[1].AsString(), items[2].AsString(), token);
        return items[0].Bulk;
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        var items = (await redis.ExecuteAsync(Command("HMGET", key, "abs", "sld"), token)).ThrowIfError().Items;
        if (items is null || items.Length < 2) return;
        await SlideAsync(key, items[0].AsString(), items[1].AsString(), token);
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        (await redis.ExecuteAsync(Command("DEL", key), token)).ThrowIfError();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        if (absolute is not null && absolute <= now)
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration value must be in the future.");
        var sliding = options.SlidingExpiration;

        TimeSpan? ttl = (absolute, sliding) switch
        {
            ({ } a, { } s) => Min(a - now, s),
            ({ } a, null) => a - now,
            (null, { } s) => s,
            _ => null,
        };

        var commands = new List<byte[][]>
        {
            Command("MULTI"),
            Command("DEL", key),
            Command("HSET", key, "data", value,
                "abs", absolute is { } abs ? abs.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : NoExpiry,
                "sld", sliding is { } sld ? RedisKeyValueStore.Milliseconds(sld).ToString(CultureInfo.InvariantCulture) : NoExpiry),
        };
        if (ttl is { } t) commands.Add(Command("PEXPIRE", key, RedisKeyValueStore.Milliseconds(t)));
        commands.Add(Command("EXEC"));
        var replies = await redis.ExecuteAsync(commands, token);
        foreach (var reply in replies) reply.ThrowIfError();
        foreach (var reply in replies[^1].Items ?? throw new RedisServerException("The cache write was aborted.")) reply.ThrowIfError();
    }

    private async Task SlideAsync(string key, string? absText, string? sldText, CancellationToken token)
    {
        if (sldText is null || sldText == NoExpiry) return;
        var sliding = TimeSpan.FromMilliseconds(long.Parse(sldText, CultureInfo.InvariantCulture));
        var ttl = sliding;
        if (absText is not null && absText != NoExpiry)
        {
            var remaining = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(absText, CultureInfo.InvariantCulture)) - time.GetUtcNow();
            ttl = Min(ttl, remaining);
        }
        if (ttl <= TimeSpan.Zero)
        {
            await RemoveAsync(key, token);
            return;
        }
        (await redis.ExecuteAsync(Command("PEXPIRE", key, RedisKeyValueStore.Milliseconds(ttl)), token)).ThrowIfError();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
