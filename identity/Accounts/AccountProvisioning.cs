using System.Globalization;
using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record PersonName(string FamilyName, string GivenName, string? MiddleName);

/// <summary>
/// Creates accounts: the demo seeder and tests call it, registration uses its roles. Every person it
/// creates has a confirmed phone number and e-mail address, so that they can receive sign-in and recovery codes.
/// </summary>
public sealed class AccountProvisioning(
    IdentityDb db,
    UserManager<HealthUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    TimeProvider time,
    PersonDocuments personDocuments,
    ILogger<AccountProvisioning> logger)
{
    /// <summary><c>LevelConfirmedBy</c> of accounts created confirmed (demo and test people).</summary>
    public const string ProvisionedConfirmation = "provisioning";

    public async Task EnsureRolesAsync(CancellationToken ct = default)
    {
        foreach (var role in HealthRoles.PersonRoles)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), $"role {role}");
        }
    }

    /// <summary>
    /// A patient account as if identity had been verified in person: level confirmed and consent to personal data
    /// processing given, so that demo and test patients see their medical data. <see cref="PatientRegistered"/>,
    /// <see cref="AccountLevelChanged"/>, <see cref="PersonalDataConsentChanged"/>, <see cref="ContactDetailsChanged"/>
    /// and, with a policy, <see cref="OmsPolicyChanged"/> are committed with it through the outbox.
    /// </summary>
    /// <param name="phone">A confirmed phone number (any usual spelling); a random unused +79XXXXXXXXX when null.</param>
    /// <param name="email">A confirmed e-mail address; <c>{userName}@example.test</c> when null.</param>
    /// <param name="omsPolicy">The OMS policy (number, insurer, dates), as if the person had entered it; none when null.</param>
    public async Task<HealthUser> CreatePatientAsync(string userName, string password, PersonName name, string snils,
        DateOnly birthDate, CancellationToken ct = default, string? phone = null, string? email = null, OmsPolicyInput? omsPolicy = null)
    {
        if (!Snils.TryNormalize(snils, out var normalized)) throw new ArgumentException("Invalid SNILS.", nameof(snils));
        OmsPolicyDetails? policy = null;
        if (omsPolicy is not null)
        {
            if (!OmsPolicy.TryNormalize(omsPolicy.Number, out var omsNumber)) throw new ArgumentException("Invalid OMS policy number.", nameof(omsPolicy));
            policy = new OmsPolicyDetails(omsNumber, omsPolicy.Insurer, omsPolicy.ValidFrom, omsPolicy.ValidTo);
        }
        return await CreateUserAsync(userName, password, HealthRoles.Patient, phone, email, ct, async user =>
        {
            if (policy is not null) await personDocuments.SealAsync(user, policy, ct);
            user.Snils = normalized;
            user.BirthDate = birthDate;
            user.Level = AccountLevel.Confirmed;
            user.LevelConfirmedAt = user.CreatedAt;
            user.LevelConfirmedBy = ProvisionedConfirmation;
        }, name, user =>
        {
            db.AddOutboxEvent(new PatientRegistered(
                user.Id, normalized, user.FamilyName, user.GivenName, user.MiddleName, birthDate, user.CreatedAt));
            db.AddOutboxEvent(new AccountLevelChanged(user.Id, AccountClaims.LevelValue(user.Level), user.CreatedAt));
            db.PersonalDataConsents.Add(new PersonalDataConsent
            {
                UserId = user.Id,
                Version = PersonalDataConsentText.CurrentVersion,
                GivenAt = user.CreatedAt,
            });
            db.AddOutboxEvent(new PersonalDataConsentChanged(user.Id, true, PersonalDataConsentText.CurrentVersion, user.CreatedAt));
            db.AddOmsPolicyChanged(user.Id, policy, user.CreatedAt);
        });
    }

    /// <param name="phone">A confirmed phone number; a random unused +79XXXXXXXXX when null.</param>
    /// <param name="email">A confirmed e-mail address; <c>{userName}@example.test</c> when null.</param>
    public Task<HealthUser> CreateDoctorAsync(string userName, string password, PersonName name, Guid organizationId,
        string organizationName, CancellationToken ct = default, string? phone = null, string? email = null) =>
        CreateUserAsync(userName, password, HealthRoles.Doctor, phone, email, ct, user =>
        {
            user.OrganizationId = organizationId;
            user.OrganizationName = organizationName;
            return Task.CompletedTask;
        }, name);

    /// <param name="phone">A confirmed phone number; a random unused +79XXXXXXXXX when null.</param>
    /// <param name="email">A confirmed e-mail address; <c>{userName}@example.test</c> when null.</param>
    public Task<HealthUser> CreateAdminAsync(string userName, string password, PersonName name, CancellationToken ct = default,
        string? phone = null, string? email = null) =>
        CreateUserAsync(userName, password, HealthRoles.Admin, phone, email, ct, _ => Task.CompletedTask, name);

    private async Task<HealthUser> CreateUserAsync(string userName, string password, string role, string? phone, string? email,
        CancellationToken ct, Func<HealthUser, Task> fill, PersonName name, Action<HealthUser>? beforeCommit = null)
    {
        string? normalizedPhone = null, normalizedEmail = null;
        if (phone is not null && !PhoneNumbers.TryNormalize(phone, out normalizedPhone))
            throw new ArgumentException("Invalid phone number.", nameof(phone));
        if (email is not null && !EmailAddresses.TryNormalize(email, out normalizedEmail))
            throw new ArgumentException("Invalid e-mail address.", nameof(email));

        // UserManager saves after each step; one transaction makes the account, its role and its event
        // appear together or not at all.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var user = new HealthUser
            {
                UserName = userName,
                FamilyName = name.FamilyName,
                GivenName = name.GivenName,
                MiddleName = name.MiddleName,
                // Every person can receive codes: a confirmed phone and e-mail (sign-in second factor, recovery).
                PhoneNumber = normalizedPhone ?? await FreePhoneNumberAsync(ct),
                PhoneNumberConfirmed = true,
                Email = normalizedEmail ?? await FreeEmailAsync(userName, ct),
                EmailConfirmed = true,
                CreatedAt = time.GetUtcNow(),
            };
            await fill(user);
            Check(await users.CreateAsync(user, password), $"user {userName}");
            Check(await users.AddToRoleAsync(user, role), $"role of {userName}");
            // Notifications learns where to write to this person from the start.
            db.AddContactDetailsChanged(user, user.CreatedAt);
            beforeCommit?.Invoke(user);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Created {Role} account {UserId}", role, user.Id);
            return user;
        });
    }

    /// <summary>A random mobile number (+79XXXXXXXXX) that no account has.</summary>
    private async Task<string> FreePhoneNumberAsync(CancellationToken ct)
    {
        while (true)
        {
            var phone = "+79" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
            if (!await db.Users.AnyAsync(u => u.PhoneNumber == phone || u.UserName == phone, ct)) return phone;
        }
    }

    /// <summary><c>{userName}@example.test</c> (a reserved domain: nothing is ever delivered there), or with a suffix when taken.</summary>
    private async Task<string> FreeEmailAsync(string userName, CancellationToken ct)
    {
        var local = new string([.. userName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-')]).Trim('.');
        if (local.Length == 0 || local.Length > 48) local = "user";
        var email = $"{local}@example.test";
        while (await db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), ct))
            email = $"{local}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}@example.test";
        return email;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
