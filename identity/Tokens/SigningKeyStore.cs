using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// The keys that sign tokens: generated and used inside the HSM, described (public key, life) in identity's
/// database and cached for a few minutes so that a rotation done
/// by another instance is picked up without a restart.
/// <para>
/// New keys are ECDSA P-256 (ES256): a signature inside the HSM costs about 0.1 ms against about 2.7 ms for RSA-3072
/// in SoftHSM, and every token is signed there (RFC 9068 access tokens, ID tokens). Keys made before are RSA-3072
/// (RS256): they keep signing or validating until rotation retires them, and a next key that is still RSA is
/// replaced by an ES256 one (it never signed), so the next rotation moves a deployment to ES256.
/// </para>
/// <para>
/// Three states, so that keys rotate without a moment in which a valid token fails: the <b>next</b> key (not yet
/// activated) is published ahead of time, so that validators' caches know it before the first token it signs; the
/// <b>current</b> key (the newest activated one) is the only one that signs; a <b>previous</b> key (retired) stays
/// published for <see cref="KeyRotationOptions.RetiredKeyRetention"/>, until every token it signed has expired.
/// </para>
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes,
    Pkcs11Hsm hsm,
    TimeProvider time,
    IOptions<KeyRotationOptions> rotation,
    ILogger<SigningKeyStore> logger)
{
    /// <summary>The algorithm of every new key.</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>What a published key may be: ES256 (new keys), RS256 (keys made before ES256).</summary>
    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(5);

    // pg_advisory_xact_lock key: serialises key creation and rotation between instances.
    private const long KeyCreationLock = 0x6964_6b65_7973; // "idkeys"

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, AsymmetricSecurityKey> _publicKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AsymmetricSecurityKey> _signingKeys = new(StringComparer.Ordinal);
    private KeySet? _keys;

    /// <param name="Signing">The current key: the only one that signs.</param>
    /// <param name="ValidationKeys">Every published key (current, next, previous): a valid token carries one of them.</param>
    /// <param name="Published">The same keys as public JWKs, current first, then next, then previous.</param>
    public sealed record KeySet(SigningCredentials Signing, IReadOnlyList<AsymmetricSecurityKey> ValidationKeys,
        IReadOnlyList<PublicJsonWebKey> Published, DateTimeOffset LoadedAt);

    /// <summary>What a rotation did, by <c>kid</c>.</summary>
    public sealed record KeyRotation(string? PreviousKeyId, string CurrentKeyId, string NextKeyId, DateTimeOffset RotatedAt);

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

    /// <summary>Makes sure there is a current key and a next one. Called at start-up.</summary>
    public async Task EnsureSigningKeyAsync(CancellationToken ct)
    {
        await InLockedTransactionAsync(async (db, _) =>
        {
            var now = time.GetUtcNow();
            var (current, next) = await LiveKeysAsync(db, ct);
            if (current is null)
            {
                // A published next key takes over before a brand-new one: caches may know it already.
                current = next ?? Add(db, NewKey(now));
                current.ActivatedAt = now;
                next = null;
                logger.LogInformation("Signing key {KeyId} is now current", current.KeyId);
            }
            if (next is not null && next.Algorithm != Algorithm)
            {
                // Made before ES256 and never used: it retires (published until its retention ends) for an ES256 one.
                next.RetiredAt = now;
                logger.LogInformation("Next signing key {KeyId} ({Algorithm}) replaced by one of {NewAlgorithm}", next.KeyId, next.Algorithm, Algorithm);
                next = null;
            }
            if (next is null) Add(db, NewKey(now));
            await db.SaveChangesAsync(ct);
            return 0;
        }, ct);
        _keys = null;
    }

    /// <summary>
    /// Rotates: the current key retires (it stays published as the previous one), the next key becomes current and a
    /// new next key is created. Serialised between instances; with <paramref name="onlyIfCurrentOlderThan"/> it does
    /// nothing (returns null) unless the current key has signed for at least that long, so that several instances
    /// checking the schedule rotate once.
    /// </summary>
    /// <param name="actorId">The admin who asked for it; null for the schedule.</param>
    public async Task<KeyRotation?> RotateAsync(Guid? actorId, TimeSpan? onlyIfCurrentOlderThan, CancellationToken ct)
    {
        var result = await InLockedTransactionAsync(async (db, services) =>
        {
            var now = time.GetUtcNow();
            var (current, next) = await LiveKeysAsync(db, ct);
            if (onlyIfCurrentOlderThan is { } age && current?.ActivatedAt is { } activatedAt && now - activatedAt < age) return null;

            // Every activated, unretired key retires: normally just the current one.
            foreach (var key in await db.SigningKeys.Where(k => k.ActivatedAt != null && k.RetiredAt == null).ToListAsync(ct))
                key.RetiredAt = now;
            next ??= Add(db, NewKey(now));
            next.ActivatedAt = now;
            var newNext = Add(db, NewKey(now));

            var rotated = new KeyRotation(current?.KeyId, next.KeyId, newNext.KeyId, now);
            var details = new Dictionary<string, string>
            {
                ["trigger"] = actorId is null ? "schedule" : "admin",
                ["current_kid"] = rotated.CurrentKeyId,
                ["next_kid"] = rotated.NextKeyId,
            };
            if (rotated.PreviousKeyId is { } previous) details["previous_kid"] = previous;
            services.GetRequiredService<SecurityEvents>().Add(SecurityEventKinds.SigningKeyRotated, subjectId: null, details: details, actorId: actorId);
            await db.SaveChangesAsync(ct);
            return rotated;
        }, ct);

        if (result is not null)
        {
            _keys = null;
            logger.LogInformation("Signing keys rotated: current {Current} (was {Previous}), next {Next}",
                result.CurrentKeyId, result.PreviousKeyId, result.NextKeyId);
        }
        return result;
    }

    /// <summary>
    /// Destroys, in the HSM and here, the keys retired longer ago than <see cref="KeyRotationOptions.RetiredKeyRetention"/>:
    /// every token they signed has expired, so nothing needs them any more.
    /// </summary>
    public async Task<int> DestroyExpiredAsync(CancellationToken ct)
    {
        var destroyed = await InLockedTransactionAsync(async (db, services) =>
        {
            var retiredBefore = time.GetUtcNow() - rotation.Value.RetiredKeyRetention;
            var expired = await db.SigningKeys.Where(k => k.RetiredAt != null && k.RetiredAt < retiredBefore).ToListAsync(ct);
            foreach (var key in expired)
            {
                hsm.DestroyKey(key.HsmLabel);
                db.SigningKeys.Remove(key);
                _publicKeys.TryRemove(key.KeyId, out _);
                _signingKeys.TryRemove(key.KeyId, out _);
                logger.LogInformation("Destroyed signing key {KeyId}, retired at {RetiredAt}", key.KeyId, key.RetiredAt);
            }
            await db.SaveChangesAsync(ct);
            return expired.Count;
        }, ct);
        return destroyed;
    }

    private async Task<T> InLockedTransactionAsync<T>(Func<IdentityDb, IServiceProvider, Task<T>> action, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyCreationLock})", ct);
            var result = await action(db, scope.ServiceProvider);
            await tx.CommitAsync(ct);
            return result;
        });
    }

    /// <summary>The current key (newest activated, not retired) and the next one (oldest not activated, not retired).</summary>
    private static async Task<(SigningKey? Current, SigningKey? Next)> LiveKeysAsync(IdentityDb db, CancellationToken ct)
    {
        var live = await db.SigningKeys.Where(k => k.RetiredAt == null).ToListAsync(ct);
        return (live.Where(k => k.ActivatedAt != null).MaxBy(k => k.ActivatedAt),
            live.Where(k => k.ActivatedAt == null).MinBy(k => k.CreatedAt));
    }

    private SigningKey Add(IdentityDb db, SigningKey key)
    {
        db.SigningKeys.Add(key);
        logger.LogInformation("Created signing key {KeyId} ({Algorithm})", key.KeyId, key.Algorithm);
        return key;
    }

    private SigningKey NewKey(DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        using var ecdsa = hsm.GenerateEcKeyPair(SigningKey.HsmLabelOf(id));
        return new SigningKey
        {
            Id = id,
            KeyId = Thumbprint(new ECDsaSecurityKey(ecdsa)),
            Algorithm = Algorithm,
            PublicKey = ecdsa.ExportSubjectPublicKeyInfo(),
            CreatedAt = now,
        };
    }

    private async Task<KeySet> LoadAsync(CancellationToken ct)
    {
        var rows = await ReadPublishableKeysAsync(ct);
        if (!rows.Any(IsCurrentCandidate))
        {
            await EnsureSigningKeyAsync(ct);
            rows = await ReadPublishableKeysAsync(ct);
        }

        // Current first, then next, then previous: the order of the JWKS.
        var ordered = rows
            .OrderBy(k => k.RetiredAt is not null ? 2 : k.ActivatedAt is null ? 1 : 0)
            .ThenByDescending(k => k.ActivatedAt ?? k.CreatedAt)
            .ToList();
        var keys = ordered.Select(row => _publicKeys.GetOrAdd(row.KeyId, _ => PublicKeyOf(row))).ToList();
        var current = ordered.First(IsCurrentCandidate);
        // The signing half: the same public key, with signatures made inside the HSM.
        var signing = _signingKeys.GetOrAdd(current.KeyId, _ => SigningKeyOf(current));
        return new KeySet(
            new SigningCredentials(signing, current.Algorithm),
            keys,
            keys.Select(PublicJsonWebKey.From).ToList(),
            time.GetUtcNow());
    }

    private static bool IsCurrentCandidate(SigningKey key) => key.ActivatedAt is not null && key.RetiredAt is null;

    private async Task<List<SigningKey>> ReadPublishableKeysAsync(CancellationToken ct)
    {
        var keepRetiredAfter = time.GetUtcNow() - rotation.Value.RetiredKeyRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        return await db.SigningKeys.AsNoTracking()
            .Where(k => k.RetiredAt == null || k.RetiredAt > keepRetiredAfter)
            .ToListAsync(ct);
    }

    private static AsymmetricSecurityKey PublicKeyOf(SigningKey row)
    {
        if (row.Algorithm == SecurityAlgorithms.RsaSha256)
        {
            var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(row.PublicKey, out _);
            return new RsaSecurityKey(rsa) { KeyId = row.KeyId };
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(row.PublicKey, out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = row.KeyId };
    }

    /// <summary>The same public key, with signatures made inside the HSM.</summary>
    private AsymmetricSecurityKey SigningKeyOf(SigningKey row)
    {
        var missing = new HsmUnavailableException($"The HSM does not hold signing key {row.KeyId} ({row.HsmLabel}).");
        return row.Algorithm == SecurityAlgorithms.RsaSha256
            ? new RsaSecurityKey(hsm.FindRsaKey(row.HsmLabel) ?? throw missing) { KeyId = row.KeyId }
            : new ECDsaSecurityKey(hsm.FindEcKey(row.HsmLabel) ?? throw missing) { KeyId = row.KeyId };
    }

    /// <summary>The RFC 7638 thumbprint of the public key, base64url.</summary>
    private static string Thumbprint(AsymmetricSecurityKey key) => Base64UrlEncoder.Encode(ToJsonWebKey(key).ComputeJwkThumbprint());

    internal static JsonWebKey ToJsonWebKey(AsymmetricSecurityKey key) => key switch
    {
        RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
        ECDsaSecurityKey ecdsa => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ecdsa),
        _ => throw new NotSupportedException($"No JWK for a {key.GetType().Name}."),
    };
}

/// <summary>A public key as published in the JWKS (RFC 7517, RFC 7518 §6): it has no private members by construction.</summary>
public sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N = null,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E = null,
    [property: JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv = null,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X = null,
    [property: JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y = null)
{
    public static PublicJsonWebKey From(AsymmetricSecurityKey key)
    {
        var jwk = SigningKeyStore.ToJsonWebKey(key);
        return jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA
            ? new PublicJsonWebKey(jwk.Kty, "sig", SecurityAlgorithms.RsaSha256, key.KeyId, N: jwk.N, E: jwk.E)
            : new PublicJsonWebKey(jwk.Kty, "sig", SecurityAlgorithms.EcdsaSha256, key.KeyId, Crv: jwk.Crv, X: jwk.X, Y: jwk.Y);
    }
}
