using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// State of the account flows between requests (a registration awaiting its codes, a recovery, a contact change, a
/// reset token), as JSON in Redis with a time to live: nothing half-done lingers in the database, and an abandoned
/// flow simply expires. Never holds a plain password or a code; passwords are already hashed, tokens and codes hashed.
/// </summary>
public sealed class PendingFlows(IKeyValueStore store, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T?> GetAsync<T>(string key, CancellationToken ct) where T : class =>
        await store.GetAsync(key, ct) is { } json ? JsonSerializer.Deserialize<T>(json, Json) : null;

    /// <summary>Stores the state until <paramref name="expiresAt"/>; false (nothing stored) when that moment has passed.</summary>
    public async Task<bool> SaveAsync<T>(string key, T state, DateTimeOffset expiresAt, CancellationToken ct) where T : class
    {
        var ttl = expiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero) return false;
        await store.SetAsync(key, JsonSerializer.Serialize(state, Json), ttl, ct);
        return true;
    }

    /// <summary>Returns the state and removes it in one step: of two concurrent callers only one gets it.</summary>
    public async Task<T?> TakeAsync<T>(string key, CancellationToken ct) where T : class =>
        await store.TakeAsync(key, ct) is { } json ? JsonSerializer.Deserialize<T>(json, Json) : null;

    public Task<bool> DeleteAsync(string key, CancellationToken ct) => store.DeleteAsync(key, ct);

    /// <summary>A random opaque value for a link or a token (256 bits, base64url).</summary>
    public static string NewOpaqueValue() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored in place of a secret value: its SHA-256 in hex (the value itself has enough entropy not to need a slow hash).</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
