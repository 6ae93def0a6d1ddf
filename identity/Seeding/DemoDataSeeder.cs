using System.Globalization;
using System.Security.Cryptography;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Seeding;

/// <summary>
/// Demo accounts and clients with generated passwords and secrets. The service calls it on first start;
/// tests call it (from the test host's services) to get accounts of their own: every call creates new
/// people and a new medical organization, and usernames that are taken get a random suffix.
/// Everyone gets a confirmed phone and e-mail (sign-in codes go there) and, except the other patient, who signs in
/// with an SMS code, an authenticator app (TOTP) whose secret is in the file. Patients also get an OMS policy in force
/// (from some years ago, no end), so that they can book a doctor; the events that tell other services (PatientRegistered,
/// ContactDetailsChanged, OmsPolicyChanged, ...) are committed with each account, once.
/// </summary>
public sealed class DemoDataSeeder(
    AccountProvisioning accounts,
    ClientRegistry clients,
    IdentityDb db,
    UserManager<HealthUser> users,
    TotpSecrets totpSecrets,
    PersonDocuments personDocuments,
    TimeProvider time,
    IOptions<TokenServiceOptions> options)
{
    public const string PublicClientId = "gosuslugi-web";

    /// <summary>The insurer of demo patients' OMS policies.</summary>
    public const string DemoInsurer = "АО «Страховая компания «СОГАЗ-Мед»";

    /// <summary>How many years before now demo patients' OMS policies start.</summary>
    public const int OmsPolicyYears = 5;

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
    /// <param name="withAuthenticatorApps">
    /// False gives nobody an authenticator app: everyone then signs in (and recovers) with SMS and e-mail codes, as
    /// a person who never set one up.
    /// </param>
    public async Task<DemoAccounts> CreateDemoAccountsAsync(CancellationToken ct = default, bool withAuthenticatorApps = true)
    {
        await accounts.EnsureRolesAsync(ct);
        var publicClient = await EnsurePublicClientAsync(ct);
        var organization = await CreateMedicalOrganizationAsync(ct: ct);
        var patient = await CreatePatientAsync("patient", PatientNames[0], new DateOnly(1985, 3, 14), withAuthenticatorApps, ct);
        var otherPatient = await CreatePatientAsync("other-patient", PatientNames[1], new DateOnly(1979, 11, 2), withAuthenticatorApp: false, ct);
        var doctor = await CreateDoctorAsync(organization.OrganizationId, organization.OrganizationName, ct, withAuthenticatorApps);
        var admin = await CreateAdminAsync(ct, withAuthenticatorApps);
        var pharmacy = await CreatePharmacyAsync(ct);
        return new DemoAccounts(patient, otherPatient, doctor, admin, organization, publicClient, options.Value.Issuer) { Pharmacy = pharmacy };
    }

    /// <summary>
    /// A new patient with a valid, unused SNILS, an OMS policy and an authenticator app (TOTP) by default;
    /// <c>PatientRegistered</c>, <c>ContactDetailsChanged</c> and <c>OmsPolicyChanged</c> events go to the outbox.
    /// </summary>
    public async Task<DemoPatient> CreatePatientAsync(CancellationToken ct = default, bool withAuthenticatorApp = true) =>
        await CreatePatientAsync("patient", PatientNames[RandomNumberGenerator.GetInt32(PatientNames.Length)],
            new DateOnly(1950 + RandomNumberGenerator.GetInt32(55), 1 + RandomNumberGenerator.GetInt32(12), 1 + RandomNumberGenerator.GetInt32(28)),
            withAuthenticatorApp, ct);

    public async Task<DemoUser> CreateDoctorAsync(Guid organizationId, string organizationName, CancellationToken ct = default,
        bool withAuthenticatorApp = true)
    {
        await accounts.EnsureRolesAsync(ct);
        var password = NewPassword();
        var user = await accounts.CreateDoctorAsync(await FreeUserNameAsync("doctor"), password,
            new PersonName("Смирнова", "Елена", "Викторовна"), organizationId, organizationName, ct);
        return new DemoUser(user.UserName!, password)
        {
            UserId = user.Id,
            OrganizationId = organizationId,
            Phone = user.PhoneNumber,
            Email = user.Email,
            TotpSecret = withAuthenticatorApp ? await AddAuthenticatorAppAsync(user, ct) : null,
        };
    }

    public async Task<DemoUser> CreateAdminAsync(CancellationToken ct = default, bool withAuthenticatorApp = true)
    {
        await accounts.EnsureRolesAsync(ct);
        var password = NewPassword();
        var user = await accounts.CreateAdminAsync(await FreeUserNameAsync("admin"), password,
            new PersonName("Кузнецов", "Дмитрий", "Олегович"), ct);
        return new DemoUser(user.UserName!, password)
        {
            UserId = user.Id,
            Phone = user.PhoneNumber,
            Email = user.Email,
            TotpSecret = withAuthenticatorApp ? await AddAuthenticatorAppAsync(user, ct) : null,
        };
    }

    /// <summary>A medical organization (new id) and its client-credentials client.</summary>
    public async Task<DemoMedicalOrganization> CreateMedicalOrganizationAsync(string? name = null, CancellationToken ct = default)
    {
        var number = await db.Applications.CountAsync(c => c.ClientType == OpenIddictConstants.ClientTypes.Confidential, ct) + 1;
        name ??= $"ГБУЗ «Городская поликлиника № {number}»";
        var organizationId = Guid.CreateVersion7();
        var clientId = "mo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = await clients.CreateMedicalOrganizationClientAsync(clientId, organizationId, name, ct);
        return new DemoMedicalOrganization(clientId, secret) { OrganizationId = organizationId, OrganizationName = name };
    }

    /// <summary>The first pharmacy of Prescriptions' development directory (same id there) and its client-credentials client.</summary>
    public async Task<DemoMedicalOrganization> CreatePharmacyAsync(CancellationToken ct = default)
    {
        var pharmacyId = DemoPharmacyId;
        const string name = "Аптека «Здоровье» № 12";
        var clientId = "pharmacy-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = await clients.CreatePharmacyClientAsync(clientId, pharmacyId, name, ct);
        return new DemoMedicalOrganization(clientId, secret) { OrganizationId = pharmacyId, OrganizationName = name };
    }

    /// <summary>Prescriptions' DevelopmentPharmacies has a pharmacy with this id (services do not share code with identity).</summary>
    public static readonly Guid DemoPharmacyId = Guid.Parse("0193a5c0-0000-7000-8000-00000000a001");

    /// <summary>The web and mobile client; its redirect URI is <c>{Identity:Issuer}/callback</c>.</summary>
    public async Task<DemoPublicClient> EnsurePublicClientAsync(CancellationToken ct = default)
    {
        var redirectUri = options.Value.EndpointUrl("/callback");
        await clients.EnsurePublicClientAsync(PublicClientId, "Госуслуги · Моё здоровье", redirectUri, ct);
        return new DemoPublicClient(PublicClientId, redirectUri);
    }

    private async Task<DemoPatient> CreatePatientAsync(string userName, PersonName name, DateOnly birthDate, bool withAuthenticatorApp, CancellationToken ct)
    {
        await accounts.EnsureRolesAsync(ct);
        string snils;
        do snils = Snils.Generate();
        while (await db.Users.AnyAsync(u => u.Snils == snils, ct));

        string omsNumber;
        do omsNumber = "7" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture)
                           + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        while (await personDocuments.OmsPolicyNumberIndexAsync(omsNumber, ct) is var omsIndex
               && await db.Users.AnyAsync(u => u.OmsPolicyNumberIndex == omsIndex, ct));
        // In force since some years ago (not before birth, as a newborn's policy is issued then), with no end: a single-format policy.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var validFrom = new DateOnly(today.Year - OmsPolicyYears, 1, 1);
        if (validFrom < birthDate) validFrom = birthDate;
        var omsPolicy = new OmsPolicyInput(omsNumber, DemoInsurer, validFrom, ValidTo: null);

        var password = NewPassword();
        var user = await accounts.CreatePatientAsync(await FreeUserNameAsync(userName), password, name, snils, birthDate, ct,
            omsPolicy: omsPolicy);
        var totpSecret = withAuthenticatorApp ? await AddAuthenticatorAppAsync(user, ct) : null;
        return new DemoPatient(user.UserName!, password, snils)
        {
            UserId = user.Id,
            Phone = user.PhoneNumber,
            Email = user.Email,
            TotpSecret = totpSecret,
            FamilyName = name.FamilyName,
            GivenName = name.GivenName,
            MiddleName = name.MiddleName,
            BirthDate = birthDate,
        };
    }

    /// <summary>Turns TOTP on with a new secret, as if the person had connected an app; returns the secret (base32).</summary>
    private async Task<string> AddAuthenticatorAppAsync(HealthUser user, CancellationToken ct)
    {
        var secret = TotpCodes.NewSecret();
        var stored = totpSecrets.Protect(secret);
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.TotpSecret, stored)
            .SetProperty(u => u.TotpEnabledAt, now)
            .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), ct);
        return secret;
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
