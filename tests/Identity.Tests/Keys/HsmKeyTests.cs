using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tests.Interop;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using static Gosuslugi.Health.Identity.Tests.Sessions.SessionTestSupport;

namespace Gosuslugi.Health.Identity.Tests.Keys;

/// <summary>The keys that sign tokens and protect the key ring are inside the HSM (SoftHSM2), and every use is logged.</summary>
[Collection(OwnIdentityCollection.Name)]
public sealed class HsmKeyTests(OwnIdentityFixture fixture)
{
    private IServiceProvider Services => fixture.Factory.Services;
    private Pkcs11Hsm Hsm => Services.GetRequiredService<Pkcs11Hsm>();

    [Fact]
    public async Task Signing_keys_are_inside_the_hsm_and_no_private_key_is_in_a_table()
    {
        var columns = await WithDbAsync(Services, db => db.Database
            .SqlQuery<string>($"SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = 'signing_keys'").ToListAsync());
        columns.ShouldContain("public_key");
        columns.ShouldNotContain(c => c.Contains("private"));

        var rows = await WithDbAsync(Services, db => db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).ToListAsync());
        rows.Count.ShouldBeGreaterThanOrEqualTo(2, "the current key and the next one");
        foreach (var row in rows)
        {
            using var inHsm = Hsm.FindEcKey(row.HsmLabel).ShouldNotBeNull();
            inHsm.ExportSubjectPublicKeyInfo().ShouldBe(row.PublicKey);
            Hsm.IsExtractable(row.HsmLabel).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Every_signature_is_counted_in_the_security_log_without_key_material()
    {
        var usageLog = Services.GetServices<IHostedService>().OfType<HsmKeyUsageLog<IdentityDb>>().Single();
        await usageLog.FlushAsync(CancellationToken.None); // what earlier tests signed
        var before = await SecurityEventsAsync(Services, null, SecurityEventKinds.KeyUsed);

        using var oidc = new OidcClient(fixture.Issuer);
        var client = fixture.Demo.PublicClient;
        var person = fixture.Demo.Patient;
        var tokens = await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, person.Username, person.Password,
            SecondFactor.AuthenticatorApp(person.TotpSecret!));
        await usageLog.FlushAsync(CancellationToken.None);

        var kid = new JsonWebToken(tokens.AccessToken).Kid;
        var signingKey = await WithDbAsync(Services, db => db.SigningKeys.AsNoTracking().SingleAsync(k => k.KeyId == kid));
        var logged = (await SecurityEventsAsync(Services, null, SecurityEventKinds.KeyUsed)).Skip(before.Count).ToList();
        var signatures = logged.Where(e => e.Details["key"] == signingKey.HsmLabel && e.Details["operation"] == Pkcs11Hsm.Sign)
            .ShouldHaveSingleItem();
        // The access token and the ID token: at least two signatures, every one counted.
        long.Parse(signatures.Details["count"]).ShouldBeGreaterThanOrEqualTo(2);
        signatures.Details.Keys.ShouldBe(["service", "key", "operation", "count", "from", "to"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_data_protection_key_ring_is_stored_encrypted_by_a_key_in_the_hsm()
    {
        var protector = Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("hsm-test");
        protector.Unprotect(protector.Protect("round trip")).ShouldBe("round trip");

        var ring = await WithDbAsync(Services, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
        ring.ShouldNotBeEmpty();
        ring.ShouldAllBe(xml => xml.Contains("<encryptedKey") && !xml.Contains("<masterKey"));
    }

    [Fact]
    public async Task Keys_retired_longer_than_their_retention_are_destroyed_in_the_hsm()
    {
        var id = Guid.CreateVersion7();
        byte[] publicKey;
        using (var rsa = Hsm.GenerateRsaKeyPair(SigningKey.HsmLabelOf(id), 2048)) publicKey = rsa.ExportSubjectPublicKeyInfo();
        var longAgo = DateTimeOffset.UtcNow.AddDays(-100);
        await WithDbAsync(Services, async db =>
        {
            db.SigningKeys.Add(new SigningKey
            {
                Id = id, KeyId = "expired-" + id.ToString("N"), Algorithm = Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256, PublicKey = publicKey,
                CreatedAt = longAgo, ActivatedAt = longAgo, RetiredAt = longAgo.AddDays(90),
            });
            return await db.SaveChangesAsync();
        });

        (await Services.GetRequiredService<SigningKeyStore>().DestroyExpiredAsync(CancellationToken.None)).ShouldBe(1);

        Hsm.FindRsaKey(SigningKey.HsmLabelOf(id)).ShouldBeNull();
        (await WithDbAsync(Services, db => db.SigningKeys.AnyAsync(k => k.Id == id))).ShouldBeFalse();
    }
}
