using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using System.Security.Cryptography;

namespace Gosuslugi.Health.ServiceDefaults.Encryption;

/// <summary>
/// Patients' data keys of one service (envelope encryption): each patient's 256-bit key is made on the first write,
/// stored wrapped by the key-encryption key inside the HSM, unwrapped there on use and kept in memory for a few
/// minutes, so a page of a record costs no HSM call. Each service has its own keys in its own database and HSM token.
/// </summary>
public sealed class PatientDataKeys<TDb> : IDisposable where TDb : DbContext, IPatientDataKeyStore
{
    /// <summary>The key-encryption key's label in the service's HSM token.</summary>
    public const string KeyEncryptionKey = "patient-data-kek";

    /// <summary>How long an unwrapped key stays in memory after its last unwrap.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    private readonly Pkcs11Hsm _hsm;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<PatientDataKeys<TDb>> _logger;
    // Bounded: a sweep over many patients must not keep every key it touched.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private volatile bool _keyEncryptionKeyReady;

    public PatientDataKeys(Pkcs11Hsm hsm, IServiceScopeFactory scopes, TimeProvider time, ILogger<PatientDataKeys<TDb>> logger)
    {
        _hsm = hsm;
        _scopes = scopes;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The cipher to open <paramref name="patientId"/>'s stored values. A patient without a key has no sealed values
    /// either; should one turn up, opening it fails as unreadable.
    /// </summary>
    public async ValueTask<PatientCipher> ForReadingAsync(Guid patientId, CancellationToken ct) =>
        await FindAsync(patientId, ct) ?? PatientCipher.WithoutKey(patientId);

    /// <summary>The cipher to seal <paramref name="patientId"/>'s values; the key is made (and committed) if missing.</summary>
    public async ValueTask<PatientCipher> ForWritingAsync(Guid patientId, CancellationToken ct) =>
        await FindAsync(patientId, ct) ?? await CreateAsync(patientId, ct);

    /// <summary>Ciphers of several patients (a sweep over many records), one database read for the missing ones.</summary>
    public async Task<IReadOnlyDictionary<Guid, PatientCipher>> ForReadingAsync(IEnumerable<Guid> patientIds, CancellationToken ct)
    {
        var ciphers = new Dictionary<Guid, PatientCipher>();
        var missing = new List<Guid>();
        foreach (var id in patientIds.Distinct())
        {
            if (_cache.TryGetValue(id, out PatientCipher? cached)) ciphers[id] = cached!;
            else missing.Add(id);
        }
        if (missing.Count > 0)
        {
            await using var scope = _scopes.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<TDb>().PatientDataKeys.AsNoTracking()
                .Where(k => missing.Contains(k.PatientId)).ToListAsync(ct);
            foreach (var row in rows) ciphers[row.PatientId] = Unwrap(row);
        }
        foreach (var id in missing) ciphers.TryAdd(id, PatientCipher.WithoutKey(id));
        return ciphers;
    }

    private async ValueTask<PatientCipher?> FindAsync(Guid patientId, CancellationToken ct)
    {
        if (_cache.TryGetValue(patientId, out PatientCipher? cached)) return cached;
        // Its own context: the caller's may be inside a transaction that a key must not depend on.
        await using var scope = _scopes.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<TDb>().PatientDataKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.PatientId == patientId, ct);
        return row is null ? null : Unwrap(row);
    }

    private async Task<PatientCipher> CreateAsync(Guid patientId, CancellationToken ct)
    {
        if (!_keyEncryptionKeyReady)
        {
            _hsm.EnsureAesKey(KeyEncryptionKey);
            _keyEncryptionKeyReady = true;
        }
        var key = RandomNumberGenerator.GetBytes(32);
        var row = new PatientDataKey
        {
            PatientId = patientId,
            WrappedBy = KeyEncryptionKey,
            WrappedKey = _hsm.WrapWith(KeyEncryptionKey, key, AssociatedData(patientId)),
            CreatedAt = _time.GetUtcNow(),
        };
        // Committed on its own before any value is sealed with it: data never outlives its key.
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        db.PatientDataKeys.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another request (or instance) made the patient's key first: use that one.
            CryptographicOperations.ZeroMemory(key);
            return await FindAsync(patientId, ct) ?? throw new InvalidOperationException($"The data key of patient {patientId} vanished.");
        }
        _logger.LogInformation("Made the data key of patient {PatientId}", patientId);
        return Remember(new PatientCipher(patientId, key));
    }

    private PatientCipher Unwrap(PatientDataKey row)
    {
        byte[] key;
        try
        {
            key = _hsm.UnwrapWith(row.WrappedBy, row.WrappedKey, AssociatedData(row.PatientId));
        }
        catch (CryptographicException e)
        {
            throw new PatientDataUnreadableException(
                $"The data key of patient {row.PatientId} does not unwrap with HSM key {row.WrappedBy}: another HSM token or a changed row.", e);
        }
        return Remember(new PatientCipher(row.PatientId, key));
    }

    private PatientCipher Remember(PatientCipher cipher)
    {
        _cache.Set(cipher.PatientId, cipher, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime });
        return cipher;
    }

    /// <summary>Binds a wrapped key to its patient: a row copied to another patient does not unwrap.</summary>
    private static byte[] AssociatedData(Guid patientId) => [.. "patient-data-key:"u8, .. patientId.ToByteArray(bigEndian: true)];

    public void Dispose() => _cache.Dispose();
}
