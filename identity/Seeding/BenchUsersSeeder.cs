using System.Text.Json;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Seeding;

/// <summary>
/// Accounts for the sign-in benchmark (bench/run.sh signin), created only when
/// <c>Identity:BenchUsers:Count</c> is set: confirmed patients with a password and an authenticator
/// app (TOTP). A TOTP code is accepted once per 30-second step, so a benchmark that signs in many
/// times a second needs many accounts.
/// </summary>
/// <remarks>
/// All of them share one password hash (one salt): creating hundreds of accounts then costs one
/// PBKDF2 run instead of hundreds, while every sign-in still verifies the password in full.
/// </remarks>
public sealed class BenchUsersSeeder(
    IdentityDb db,
    IPasswordHasher<HealthUser> hasher,
    TotpSecrets totpSecrets,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<BenchUsersSeeder> logger)
{
    public const string Section = "Identity:BenchUsers";

    public sealed record BenchUser(string Username, string Password, string TotpSecret);

    public async Task SeedAsync(CancellationToken ct)
    {
        var count = configuration.GetValue<int>($"{Section}:Count");
        var file = configuration[$"{Section}:File"];
        if (count <= 0 || string.IsNullOrEmpty(file)) return;
        if (await db.Users.AnyAsync(u => u.UserName!.StartsWith("bench-"), ct))
        {
            logger.LogInformation("Benchmark accounts already exist; {File} is kept", file);
            return;
        }

        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        var passwordHash = hasher.HashPassword(new HealthUser { FamilyName = "", GivenName = "" }, password);
        var patientRole = await db.Roles.SingleAsync(r => r.Name == HealthRoles.Patient, ct);
        var now = time.GetUtcNow();
        var users = new List<BenchUser>(count);
        for (var i = 1; i <= count; i++)
        {
            var secret = TotpCodes.NewSecret();
            var username = $"bench-{i:00000}";
            var user = new HealthUser
            {
                UserName = username,
                NormalizedUserName = username.ToUpperInvariant(),
                FamilyName = "Нагрузочный",
                GivenName = "Тест",
                BirthDate = new DateOnly(1990, 1, 1),
                PhoneNumber = $"+7990{i:0000000}",
                PhoneNumberConfirmed = true,
                PasswordHash = passwordHash,
                LockoutEnabled = true,
                Level = AccountLevel.Confirmed,
                LevelConfirmedAt = now,
                LevelConfirmedBy = "bench",
                TotpSecret = totpSecrets.Protect(secret),
                TotpEnabledAt = now,
                CreatedAt = now,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = patientRole.Id });
            db.PersonalDataConsents.Add(new PersonalDataConsent { UserId = user.Id, Version = PersonalDataConsentText.CurrentVersion, GivenAt = now });
            users.Add(new BenchUser(username, password, secret));
        }
        await db.SaveChangesAsync(ct);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(file, options))
            await JsonSerializer.SerializeAsync(stream, users, JsonSerializerOptions.Web, ct);
        logger.LogInformation("Created {Count} benchmark accounts; written to {File}", count, file);
    }
}
