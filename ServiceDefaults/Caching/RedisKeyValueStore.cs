using System.Globalization;
using static Gosuslugi.Health.ServiceDefaults.Caching.RedisConnection;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

internal sealed class RedisKeyValueStore(RedisConnectionPool redis) : IKeyValueStore
{
    public async Task<long> IncrementAsync(string key, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        if (expiry is null) return (await redis.ExecuteAsync(Command("INCR", key), cancellationToken)).AsInteger();

        // NX: the expiry is set by the increment that creates the counter only, so the window does not slide.
        var replies = await redis.ExecuteAsync(
            [Command("MULTI"), Command("INCR", key), Command("PEXPIRE", key, Milliseconds(expiry.Value), "NX"), Command("EXEC")],
            cancellationToken);
        var exec = replies[^1].ThrowIfError();
        if (exec.Items is null) throw new RedisServerException("The INCR transaction was aborted.");
        return exec.Items[0].AsInteger();
    }

    public async Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync(Command("SET", key, value, "NX", "PX", Milliseconds(expiry)), cancellationToken);
        return !reply.ThrowIfError().IsNull;
    }

    public async Task SetAsync(string key, string value, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        var command = expiry is null ? Command("SET", key, value) : Command("SET", key, value, "PX", Milliseconds(expiry.Value));
        (await redis.ExecuteAsync(command, cancellationToken)).ThrowIfError();
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await redis.ExecuteAsync(Command("GET", key), cancellationToken)).AsString();

    public async Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default) =>
        (await redis.ExecuteAsync(Command("GETDEL", key), cancellationToken)).AsString();

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        (await redis.ExecuteAsync(Command("DEL", key), cancellationToken)).AsInteger() > 0;

    public async Task<long> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count == 0) return 0;
        var command = new object[keys.Count + 1];
        command[0] = "EXISTS";
        for (var i = 0; i < keys.Count; i++) command[i + 1] = keys[i];
        return (await redis.ExecuteAsync(Command(command), cancellationToken)).AsInteger();
    }

    public async Task<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        var ms = (await redis.ExecuteAsync(Command("PTTL", key), cancellationToken)).AsInteger();
        return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
    }

    internal static long Milliseconds(TimeSpan value)
    {
        var ms = (long)Math.Ceiling(value.TotalMilliseconds);
        return ms > 0 ? ms : throw new ArgumentOutOfRangeException(nameof(value), value, "The expiry must be positive.");
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
