using System.Xml.Linq;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Keys;

/// <summary>
/// A database of the version before the HSM: its signing key (private half in a table) is deleted and replaced by keys
/// inside the HSM, and its Data Protection keys are encrypted in place and still open what they protected.
/// </summary>
public sealed class HsmMigrationTests
{
    [Fact]
    public async Task A_database_from_before_the_hsm_loses_its_private_keys_and_gets_its_key_ring_encrypted()
    {
        // A real, unencrypted Data Protection key as the previous version stored it, and a payload it protected.
        var written = new List<XElement>();
        var before = new ServiceCollection();
        before.AddDataProtection().SetApplicationName("gosuslugi-health-identity");
        before.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlRepository = new ListRepository(written));
        string protectedBefore;
        await using (var oldServices = before.BuildServiceProvider())
            protectedBefore = oldServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("migration-test").Protect("открыто");
        var oldKey = written.ShouldHaveSingleItem().ToString(SaveOptions.DisableFormatting);
        oldKey.ShouldContain("<masterKey");

        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var cs = await OldDatabase.CreateAsync(new IdentityDbFactory(), "SnakeCaseNames", $"""
            INSERT INTO signing_keys (id, key_id, algorithm, private_key, created_at, activated_at)
            VALUES (gen_random_uuid(), 'old-kid', 'RS256', decode('{Convert.ToHexString(rsa.ExportPkcs8PrivateKey())}', 'hex'), now(), now());
            INSERT INTO data_protection_keys (friendly_name, xml) VALUES ('old', '{oldKey.Replace("'", "''")}');
            """);

        var servers = await TestServers.GetAsync();
        var folder = Path.Combine(Path.GetTempPath(), "identity-hsm-migration-" + Guid.NewGuid().ToString("N"));
        var settings = IdentityServiceFixture.Settings(cs, await servers.RabbitMq.CreateVirtualHostAsync(), Path.Combine(folder, "demo.json"));
        settings["Identity:SeedDemoData"] = "false";
        await using (var identity = new IdentityFactory(settings))
        {
            _ = identity.Server; // start: migrations, keys, key ring
            var hsm = identity.Services.GetRequiredService<Pkcs11Hsm>();
            await using var scope = identity.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();

            var keys = await db.SigningKeys.AsNoTracking().ToListAsync();
            keys.ShouldNotContain(k => k.KeyId == "old-kid");
            keys.Count.ShouldBe(2, "a current and a next key, made inside the HSM");
            keys.ShouldAllBe(k => hsm.FindEcKey(k.HsmLabel) != null);

            var ring = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
            ring.ShouldAllBe(xml => !xml.Contains("<masterKey") && xml.Contains("encryptedSecret"));
            identity.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("migration-test")
                .Unprotect(protectedBefore).ShouldBe("открыто");
        }
        try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private sealed class ListRepository(List<XElement> elements) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => elements.ToList();
        public void StoreElement(XElement element, string friendlyName) => elements.Add(element);
    }
}
