using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record PersonName(string FamilyName, string GivenName, string? MiddleName);

/// <summary>
/// Creates accounts and clients. The demo seeder and tests use it today; registration and the admin
/// API (a later issue) will too.
/// </summary>
public sealed class AccountProvisioning(
    IdentityDb db,
    UserManager<HealthUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    TimeProvider time,
    ILogger<AccountProvisioning> logger)
{
    public async Task EnsureRolesAsync(CancellationToken ct = default)
    {
        foreach (var role in HealthRoles.PersonRoles)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), $"role {role}");
        }
    }

    /// <summary>A patient account; <see cref="PatientRegistered"/> is committed with it through the outbox.</summary>
    public async Task<HealthUser> CreatePatientAsync(string userName, string password, PersonName name, string snils,
        DateOnly birthDate, CancellationToken ct = default)
    {
        if (!Snils.TryNormalize(snils, out var normalized)) throw new ArgumentException("Invalid SNILS.", nameof(snils));
        return await CreateUserAsync(userName, password, HealthRoles.Patient, ct, user =>
        {
            user.Snils = normalized;
            user.BirthDate = birthDate;
        }, name, user => db.AddOutboxEvent(new PatientRegistered(
            user.Id, normalized, user.FamilyName, user.GivenName, user.MiddleName, birthDate, user.CreatedAt)));
    }

    public Task<HealthUser> CreateDoctorAsync(string userName, string password, PersonName name, Guid organizationId,
        string organizationName, CancellationToken ct = default) =>
        CreateUserAsync(userName, password, HealthRoles.Doctor, ct, user =>
        {
            user.OrganizationId = organizationId;
            user.OrganizationName = organizationName;
        }, name);

    public Task<HealthUser> CreateAdminAsync(string userName, string password, PersonName name, CancellationToken ct = default) =>
        CreateUserAsync(userName, password, HealthRoles.Admin, ct, _ => { }, name);

    /// <summary>A confidential client that a medical organization's system uses with client credentials.</summary>
    public async Task<(OAuthClient Client, string Secret)> CreateMedicalOrganizationClientAsync(
        string clientId, Guid organizationId, string organizationName, CancellationToken ct = default)
    {
        var secret = SecretHasher.NewOpaqueValue();
        var client = new OAuthClient
        {
            ClientId = clientId,
            DisplayName = organizationName,
            Type = OAuthClientType.Confidential,
            SecretHash = SecretHasher.HashClientSecret(secret),
            AllowedGrantTypes = [GrantTypes.ClientCredentials],
            AllowedScopes = [Scopes.HealthPublish],
            OrganizationId = organizationId,
            OrganizationName = organizationName,
            CreatedAt = time.GetUtcNow(),
        };
        db.OAuthClients.Add(client);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Registered client {ClientId} of medical organization {OrganizationId}", clientId, organizationId);
        return (client, secret);
    }

    /// <summary>A public client (browser or mobile app): code + PKCE, refresh tokens, no secret.</summary>
    public async Task<OAuthClient> EnsurePublicClientAsync(string clientId, string displayName, string redirectUri, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
            throw new ArgumentException("A redirect URI is absolute and has no fragment.", nameof(redirectUri));

        var client = await db.OAuthClients.SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (client is null)
        {
            client = new OAuthClient
            {
                ClientId = clientId,
                DisplayName = displayName,
                Type = OAuthClientType.Public,
                AllowedGrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
                AllowedScopes = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, Scopes.Health],
                CreatedAt = time.GetUtcNow(),
            };
            db.OAuthClients.Add(client);
        }
        if (!client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            client.RedirectUris = [.. client.RedirectUris, redirectUri];
            logger.LogInformation("Client {ClientId} may now redirect to {RedirectUri}", clientId, redirectUri);
        }
        await db.SaveChangesAsync(ct);
        return client;
    }

    private async Task<HealthUser> CreateUserAsync(string userName, string password, string role, CancellationToken ct,
        Action<HealthUser> fill, PersonName name, Action<HealthUser>? beforeCommit = null)
    {
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
                CreatedAt = time.GetUtcNow(),
            };
            fill(user);
            Check(await users.CreateAsync(user, password), $"user {userName}");
            Check(await users.AddToRoleAsync(user, role), $"role of {userName}");
            if (beforeCommit is not null)
            {
                beforeCommit(user);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            logger.LogInformation("Created {Role} account {UserId}", role, user.Id);
            return user;
        });
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
