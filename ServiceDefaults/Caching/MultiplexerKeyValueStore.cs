using StackExchange.Redis;

namespace Gosuslugi.Health.ServiceDefaults.Caching;

/// <summary><see cref="IKeyValueStore"/> on the process's one Redis multiplexer.</summary>
internal sealed class MultiplexerKeyValueStore(IConnectionMultiplexer redis) : IKeyValueStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<long> IncrementAsync(string key, TimeSpan? expiry = null, CancellationToken cancellationToken = default)
    {
        if (expiry is null) return await Db.StringIncrementAsync(key).WaitAsync(cancellationToken);

        // The expiry is set by the increment that creates the counter only (PEXPIRE ... NX), so the window is fixed.
        var transaction = Db.CreateTransaction();
        var count = transaction.StringIncrementAsync(key);
        _ = transaction.KeyExpireAsync(key, Positive(expiry.Value), ExpireWhen.HasNoExpiry);
        if (!await transaction.ExecuteAsync().WaitAsync(cancellationToken))
            throw new RedisException("The INCR transaction was aborted.");
        return await count;
    }

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Db.StringSetAsync(key, value, Positive(expiry), When.NotExists).WaitAsync(cancellationToken);

    public Task SetAsync(string key, string value, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        Db.StringSetAsync(key, value, expiry is { } e ? new Expiration(Positive(e)) : Expiration.Default).WaitAsync(cancellationToken);

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await Db.StringGetAsync(key).WaitAsync(cancellationToken);

    public async Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default) =>
        await Db.StringGetDeleteAsync(key).WaitAsync(cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Db.KeyDeleteAsync(key).WaitAsync(cancellationToken);

    public Task<long> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        keys.Count == 0
            ? Task.FromResult(0L)
            : Db.KeyExistsAsync(keys.Select(k => (RedisKey)k).ToArray()).WaitAsync(cancellationToken);

    public Task<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default) =>
        Db.KeyTimeToLiveAsync(key).WaitAsync(cancellationToken);

    private static TimeSpan Positive(TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The expiry must be positive.");
}
