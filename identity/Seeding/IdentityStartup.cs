using System.Text.Json;
using System.Xml.Linq;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Signatures;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Seeding;

/// <summary>
/// At start-up, after the migrations: makes sure a signing key (and the local test CA) exists and, on a database without
/// users, creates the demo data and writes <c>Identity:DemoFile</c>.
/// </summary>
public sealed class IdentityStartup(
    IServiceScopeFactory scopes,
    SigningKeyStore keys,
    LocalCertificateAuthority certificateAuthority,
    IOptions<TokenServiceOptions> options,
    ILogger<IdentityStartup> logger) : IHostedService
{
    // pg_advisory_lock key: two instances starting on an empty database seed it once.
    private const long SeedLock = 0x6964_7365_6564; // "idseed"

    private static readonly JsonSerializerOptions FileFormat = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Data Protection keys written before the HSM held the key ring's key are encrypted in place.</summary>
    private async Task EncryptKeyRingAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var encryptor = new HsmXmlEncryptor(scope.ServiceProvider.GetRequiredService<Pkcs11Hsm>());
        var rows = await db.DataProtectionKeys.Where(k => k.Xml != null && k.Xml.Contains("requiresEncryption=\"true\"")).ToListAsync(ct);
        foreach (var row in rows)
        {
            var key = XElement.Parse(row.Xml!);
            if (encryptor.EncryptUnprotectedSecrets(key)) row.Xml = key.ToString(SaveOptions.DisableFormatting);
        }
        if (rows.Count == 0) return;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Encrypted {Count} Data Protection keys with the HSM's key", rows.Count);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await keys.EnsureSigningKeyAsync(ct);
        await EncryptKeyRingAsync(ct);
        // The local test CA of the electronic signature is made once, on the first start, and kept in the HSM.
        if (certificateAuthority.Enabled) await certificateAuthority.EnsureAsync(ct);
        if (!options.Value.SeedDemoData) return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SeedLock})", ct);
            await SeedAsync(db, scope.ServiceProvider.GetRequiredService<DemoDataSeeder>(), ct);
            await scope.ServiceProvider.GetRequiredService<BenchUsersSeeder>().SeedAsync(ct);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SeedLock})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task SeedAsync(IdentityDb db, DemoDataSeeder seeder, CancellationToken ct)
    {
        var file = options.Value.DemoFile is { Length: > 0 } path ? Path.GetFullPath(path) : null;
        if (await db.Users.AnyAsync(ct))
        {
            // The public client follows Identity:Issuer, which may differ from the last run's.
            await seeder.EnsurePublicClientAsync(ct);
            if (file is not null && !File.Exists(file))
                logger.LogWarning("The database already has users but the demo file {DemoFile} is missing; its passwords cannot be recovered. Start with fresh data to get a new one", file);
            return;
        }

        var demo = await seeder.CreateDemoAccountsAsync(ct);
        if (file is null)
        {
            logger.LogWarning("Demo data created, but Identity:DemoFile is not set: the generated passwords are not written anywhere");
            return;
        }

        await WriteDemoFileAsync(file, demo, ct);
        logger.LogInformation("Demo data created; accounts written to {DemoFile}", file);
    }

    private static async Task WriteDemoFileAsync(string path, DemoAccounts demo, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        // It holds passwords and a client secret: readable by the owner only.
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temporary, file))
        {
            await JsonSerializer.SerializeAsync(stream, demo, FileFormat, ct);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
