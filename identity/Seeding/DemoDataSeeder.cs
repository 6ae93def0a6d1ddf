using System.Security.Cryptography;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Seeding;

/// <summary>
/// Demo accounts and clients with generated passwords and secrets. The service calls it on first start;
/// tests call it (from the test host's services) to get accounts of their own: every call creates new
/// people and a new medical organization, and usernames that are taken get a random suffix.
/// </summary>
public sealed class DemoDataSeeder(
    AccountProvisioning accounts,
    IdentityDb db,
    UserManager<HealthUser> users,
    IOptions<TokenServiceOptions> options)
{
    public const string PublicClientId = "gosuslugi-web";

    private static readonly PersonName[] PatientNames =
    [
        new("Иванова", "Мария", "Сергеевна"),
        new("Петров", "Алексей", "Николаевич"),
        new("Соколова", "Анна", "Дмитриевна"),
        new("Морозов", "Игорь", "Владимирович"),
        new("Волкова", "Ольга", "Петровна"),
        new("Лебедев", "Артём", null),
    ];

    /// <summary>The full demo set: two patients, a doctor, an admin, a medical organization and the public client.</summary>
    public async Task<DemoAccounts> CreateDemoAccountsAsync(CancellationToken ct = default)
    {
        await accounts.EnsureRolesAsync(ct);
        var publicClient = await EnsurePublicClientAsync(ct);
        var organization = await CreateMedicalOrganizationAsync(ct: ct);
        var patient = await CreatePatientAsync("patient", PatientNames[0], new DateOnly(1985, 3, 14), ct);
        var otherPatient = await CreatePatientAsync("other-patient", PatientNames[1], new DateOnly(1979, 11, 2), ct);
        var doctor = await CreateDoctorAsync(organization.OrganizationId, organization.OrganizationName, ct);
        var admin = await CreateAdminAsync(ct);
        return new DemoAccounts(patient, otherPatient, doctor, admin, organization, publicClient, options.Value.Issuer);
    }

    /// <summary>A new patient with a valid, unused SNILS; a <c>PatientRegistered</c> event goes to the outbox.</summary>
    public async Task<DemoPatient> CreatePatientAsync(CancellationToken ct = default) =>
        await CreatePatientAsync("patient", PatientNames[RandomNumberGenerator.GetInt32(PatientNames.Length)],
            new DateOnly(1950 + RandomNumberGenerator.GetInt32(55), 1 + RandomNumberGenerator.GetInt32(12), 1 + RandomNumberGenerator.GetInt32(28)), ct);

    public async Task<DemoUser> CreateDoctorAsync(Guid organizationId, string organizationName, CancellationToken ct = default)
    {
        await accounts.EnsureRolesAsync(ct);
        var password = NewPassword();
        var user = await accounts.CreateDoctorAsync(await FreeUserNameAsync("doctor"), password,
            new PersonName("Смирнова", "Елена", "Викторовна"), organizationId, organizationName, ct);
        return new DemoUser(user.UserName!, password) { UserId = user.Id, OrganizationId = organizationId };
    }

    public async Task<DemoUser> CreateAdminAsync(CancellationToken ct = default)
    {
        await accounts.EnsureRolesAsync(ct);
        var password = NewPassword();
        var user = await accounts.CreateAdminAsync(await FreeUserNameAsync("admin"), password,
            new PersonName("Кузнецов", "Дмитрий", "Олегович"), ct);
        return new DemoUser(user.UserName!, password) { UserId = user.Id };
    }

    /// <summary>A medical organization (new id) and its client-credentials client.</summary>
    public async Task<DemoMedicalOrganization> CreateMedicalOrganizationAsync(string? name = null, CancellationToken ct = default)
    {
        var number = await db.OAuthClients.CountAsync(c => c.OrganizationId != null, ct) + 1;
        name ??= $"ГБУЗ «Городская поликлиника № {number}»";
        var organizationId = Guid.CreateVersion7();
        var clientId = "mo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var (client, secret) = await accounts.CreateMedicalOrganizationClientAsync(clientId, organizationId, name, ct);
        return new DemoMedicalOrganization(client.ClientId, secret) { OrganizationId = organizationId, OrganizationName = name };
    }

    /// <summary>The web and mobile client; its redirect URI is <c>{Identity:Issuer}/callback</c>.</summary>
    public async Task<DemoPublicClient> EnsurePublicClientAsync(CancellationToken ct = default)
    {
        var redirectUri = options.Value.EndpointUrl("/callback");
        await accounts.EnsurePublicClientAsync(PublicClientId, "Госуслуги · Моё здоровье", redirectUri, ct);
        return new DemoPublicClient(PublicClientId, redirectUri);
    }

    private async Task<DemoPatient> CreatePatientAsync(string userName, PersonName name, DateOnly birthDate, CancellationToken ct)
    {
        await accounts.EnsureRolesAsync(ct);
        string snils;
        do snils = Snils.Generate();
        while (await db.Users.AnyAsync(u => u.Snils == snils, ct));

        var password = NewPassword();
        var user = await accounts.CreatePatientAsync(await FreeUserNameAsync(userName), password, name, snils, birthDate, ct);
        return new DemoPatient(user.UserName!, password, snils)
        {
            UserId = user.Id,
            FamilyName = name.FamilyName,
            GivenName = name.GivenName,
            MiddleName = name.MiddleName,
            BirthDate = birthDate,
        };
    }

    private async Task<string> FreeUserNameAsync(string preferred)
    {
        var name = preferred;
        while (await users.FindByNameAsync(name) is not null)
            name = $"{preferred}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        return name;
    }

    /// <summary>16 characters with every character class Identity's password rules ask for.</summary>
    private static string NewPassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "!#%*+-=?@_";
        var chars = new List<char>
        {
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        const string all = lower + upper + digits + symbols;
        while (chars.Count < 16) chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        var array = chars.ToArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }
}
