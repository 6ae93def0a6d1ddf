namespace Gosuslugi.Health.ServiceDefaults.Caching;

/// <summary>Counters and single-use keys in the shared cache (Redis).</summary>
public interface IKeyValueStore
{
    /// <summary>Adds one and returns the new value; <paramref name="expiry"/> is set when the counter is created (a fixed window).</summary>
    Task<long> IncrementAsync(string key, TimeSpan? expiry = null, CancellationToken cancellationToken = default);

    /// <summary>Stores the value only if the key does not exist; true when stored.</summary>
    Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Stores the value, replacing any; no expiry when <paramref name="expiry"/> is null.</summary>
    Task SetAsync(string key, string value, TimeSpan? expiry = null, CancellationToken cancellationToken = default);

    Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Returns the value and deletes the key atomically: a single-use key can be taken once.</summary>
    Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>True when the key existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>How many of <paramref name="keys"/> exist, in one round trip (a key named twice counts twice).</summary>
    Task<long> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Remaining time to live; null when the key does not exist or never expires.</summary>
    Task<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default);
}
