using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// The RSA keys that sign tokens, read from identity's database and cached for a few minutes so that
/// a key added by another instance (rotation) is picked up without a restart.
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<TokenServiceOptions> options,
    ILogger<SigningKeyStore> logger)
{
    public const string Algorithm = SecurityAlgorithms.RsaSha256;
    private const int KeySizeInBits = 3072;
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(5);

    // pg_advisory_xact_lock key: serialises key creation between instances that start together.
    private const long KeyCreationLock = 0x6964_6b65_7973; // "idkeys"

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, RsaSecurityKey> _materialized = new(StringComparer.Ordinal);
    private KeySet? _keys;

    /// <param name="Signing">The newest active key.</param>
    /// <param name="Published">Every key a valid token may carry, as public JWKs.</param>
    public sealed record KeySet(SigningCredentials Signing, IReadOnlyList<RsaSecurityKey> ValidationKeys,
        IReadOnlyList<PublicJsonWebKey> Published, DateTimeOffset LoadedAt);

    public async ValueTask<KeySet> GetKeysAsync(CancellationToken ct)
    {
        var keys = _keys;
        if (keys is not null && time.GetUtcNow() - keys.LoadedAt < CacheFor) return keys;

        await _gate.WaitAsync(ct);
        try
        {
            keys = _keys;
            if (keys is not null && time.GetUtcNow() - keys.LoadedAt < CacheFor) return keys;
            return _keys = await LoadAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reload on next use, at most every few seconds however often it is asked (unknown kids are cheap to send).</summary>
    public void RequestRefresh()
    {
        if (_keys is { } keys && time.GetUtcNow() - keys.LoadedAt > MinimumRefreshInterval) _keys = null;
    }

    /// <summary>Creates a signing key when none is active. Called at start-up.</summary>
    public async Task EnsureSigningKeyAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyCreationLock})", ct);
            if (!await db.SigningKeys.AnyAsync(k => k.RetiredAt == null, ct))
            {
                using var rsa = RSA.Create(KeySizeInBits);
                var key = new SigningKey
                {
                    KeyId = Thumbprint(rsa),
                    Algorithm = Algorithm,
                    PrivateKey = rsa.ExportPkcs8PrivateKey(),
                    CreatedAt = time.GetUtcNow(),
                };
                db.SigningKeys.Add(key);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Created signing key {KeyId} (RSA {KeySize})", key.KeyId, KeySizeInBits);
            }
            await tx.CommitAsync(ct);
        });
        _keys = null;
    }

    private async Task<KeySet> LoadAsync(CancellationToken ct)
    {
        var rows = await ReadPublishableKeysAsync(ct);
        if (!rows.Any(k => k.RetiredAt is null))
        {
            await EnsureSigningKeyAsync(ct);
            rows = await ReadPublishableKeysAsync(ct);
        }

        var keys = rows.Select(row => (row, key: _materialized.GetOrAdd(row.KeyId, _ => Materialize(row)))).ToList();
        var active = keys.First(k => k.row.RetiredAt is null).key;
        return new KeySet(
            new SigningCredentials(active, Algorithm),
            keys.Select(k => k.key).ToList(),
            keys.Select(k => PublicJsonWebKey.From(k.key)).ToList(),
            time.GetUtcNow());
    }

    private async Task<List<SigningKey>> ReadPublishableKeysAsync(CancellationToken ct)
    {
        // A retired key stays published until every token it signed has expired.
        var o = options.Value;
        var keepRetiredUntil = time.GetUtcNow() - (o.AccessTokenLifetime > o.IdTokenLifetime ? o.AccessTokenLifetime : o.IdTokenLifetime) - TimeSpan.FromMinutes(5);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await db.SigningKeys.AsNoTracking()
            .Where(k => k.RetiredAt == null || k.RetiredAt > keepRetiredUntil)
            .OrderByDescending(k => k.CreatedAt)
            .ToListAsync(ct);
    }

    private static RsaSecurityKey Materialize(SigningKey row)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(row.PrivateKey, out _);
        return new RsaSecurityKey(rsa) { KeyId = row.KeyId };
    }

    /// <summary>The RFC 7638 thumbprint of the public key, base64url.</summary>
    private static string Thumbprint(RSA rsa)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)));
        return Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
    }
}

/// <summary>A public RSA key as published in the JWKS (RFC 7517); it has no private members by construction.</summary>
public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E)
{
    public static PublicJsonWebKey From(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new PublicJsonWebKey("RSA", "sig", SigningKeyStore.Algorithm, key.KeyId,
            Base64UrlEncoder.Encode(p.Modulus), Base64UrlEncoder.Encode(p.Exponent));
    }
}
