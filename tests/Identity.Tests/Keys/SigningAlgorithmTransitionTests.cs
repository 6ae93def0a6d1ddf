using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests.Keys;

/// <summary>
/// A deployment whose keys were made before ES256 (RSA-3072, RS256) keeps its current RSA key signing, gets an ES256
/// next key at start-up in place of its RSA one, and signs ES256 from its next rotation on, while tokens the RSA key
/// signed stay valid. On identity of its own: the test rewrites the key table.
/// </summary>
public sealed class SigningAlgorithmTransitionTests
{
    [Fact]
    public async Task Rsa_keys_of_an_earlier_version_give_way_to_es256_at_the_next_rotation()
    {
        var servers = await TestServers.GetAsync();
        var folder = Path.Combine(Path.GetTempPath(), "identity-alg-transition-" + Guid.NewGuid().ToString("N"));
        var settings = IdentityServiceFixture.Settings(await servers.Postgres.CreateDatabaseAsync(),
            await servers.RabbitMq.CreateVirtualHostAsync(), Path.Combine(folder, "demo.json"));
        settings["Identity:SeedDemoData"] = "false";
        await using var identity = new IdentityFactory(settings);
        _ = identity.Server;
        var hsm = identity.Services.GetRequiredService<Pkcs11Hsm>();
        var store = identity.Services.GetRequiredService<SigningKeyStore>();

        // What the earlier version left: an activated RSA key and an RSA next key, both inside the HSM.
        var now = DateTimeOffset.UtcNow;
        var rsaCurrent = NewRsaKey(hsm, now.AddDays(-10), activatedAt: now.AddDays(-10));
        var rsaNext = NewRsaKey(hsm, now.AddDays(-10), activatedAt: null);
        await WithDbAsync(identity, async db =>
        {
            await db.SigningKeys.ExecuteDeleteAsync();
            db.SigningKeys.AddRange(rsaCurrent, rsaNext);
            await db.SaveChangesAsync();
        });

        await store.EnsureSigningKeyAsync(CancellationToken.None);
        var keys = await store.GetKeysAsync(CancellationToken.None);
        keys.Signing.Algorithm.ShouldBe(SecurityAlgorithms.RsaSha256, "the current RSA key keeps signing until rotation");
        keys.Signing.Key.KeyId.ShouldBe(rsaCurrent.KeyId);
        var live = await WithDbAsync(identity, db => db.SigningKeys.AsNoTracking().ToListAsync());
        live.Single(k => k.Id == rsaNext.Id).RetiredAt.ShouldNotBeNull("an RSA next key never signed: it gives way");
        var esNext = live.Single(k => k.RetiredAt == null && k.ActivatedAt == null);
        esNext.Algorithm.ShouldBe(SecurityAlgorithms.EcdsaSha256);
        keys.Published.Select(k => (k.Kid, k.Alg)).ShouldBe(
            [(rsaCurrent.KeyId, "RS256"), (esNext.KeyId, "ES256"), (rsaNext.KeyId, "RS256")]);
        var signedByRsa = Sign(keys);

        var rotation = await store.RotateAsync(actorId: null, onlyIfCurrentOlderThan: null, CancellationToken.None);
        rotation.ShouldNotBeNull().CurrentKeyId.ShouldBe(esNext.KeyId);
        var rotated = await store.GetKeysAsync(CancellationToken.None);
        rotated.Signing.Algorithm.ShouldBe(SecurityAlgorithms.EcdsaSha256);
        var signedByEs = new JsonWebToken(Sign(rotated));
        signedByEs.Alg.ShouldBe("ES256");
        signedByEs.Kid.ShouldBe(esNext.KeyId);

        // Both validate against the published set, as the gateway and services validate them.
        var jwks = new JsonWebKeySet(System.Text.Json.JsonSerializer.Serialize(new { keys = rotated.Published }));
        foreach (var token in new[] { signedByRsa, signedByEs.EncodedToken })
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
                IssuerSigningKeys = jwks.GetSigningKeys(),
                ValidAlgorithms = SigningKeyStore.Algorithms,
            });
            result.IsValid.ShouldBeTrue(result.Exception?.Message);
        }
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private static SigningKey NewRsaKey(Pkcs11Hsm hsm, DateTimeOffset createdAt, DateTimeOffset? activatedAt)
    {
        var id = Guid.CreateVersion7();
        using var rsa = hsm.GenerateRsaKeyPair(SigningKey.HsmLabelOf(id), 3072);
        return new SigningKey
        {
            Id = id,
            KeyId = "rsa-" + id.ToString("N"),
            Algorithm = SecurityAlgorithms.RsaSha256,
            PublicKey = rsa.ExportSubjectPublicKeyInfo(),
            CreatedAt = createdAt,
            ActivatedAt = activatedAt,
        };
    }

    private static string Sign(SigningKeyStore.KeySet keys) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "transition" },
        SigningCredentials = keys.Signing,
    });

    private static async Task<T> WithDbAsync<T>(IdentityFactory identity, Func<IdentityDb, Task<T>> action)
    {
        await using var scope = identity.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<IdentityDb>());
    }

    private static Task WithDbAsync(IdentityFactory identity, Func<IdentityDb, Task> action) =>
        WithDbAsync(identity, async db => { await action(db); return 0; });
}
