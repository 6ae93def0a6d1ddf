using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Gosuslugi.Health.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityDbContext<HealthUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext, IPatientDataKeyStore
{
    /// <summary>
    /// Identity's schema with the passkeys table (ready for MFA). Identity reads it from the app's
    /// <see cref="IdentityOptions"/>: <see cref="ConfigureStore"/> is applied both in the running service
    /// and in <see cref="IdentityDbFactory"/>, so that migrations and the runtime model agree.
    /// </summary>
    public static readonly Version IdentitySchemaVersion = IdentitySchemaVersions.Version3;

    public static void ConfigureStore(IdentityOptions options) => options.Stores.SchemaVersion = IdentitySchemaVersion;

    public DbSet<OpenIddictEntityFrameworkCoreApplication<Guid>> Applications => Set<OpenIddictEntityFrameworkCoreApplication<Guid>>();
    public DbSet<OpenIddictEntityFrameworkCoreToken<Guid>> Tokens => Set<OpenIddictEntityFrameworkCoreToken<Guid>>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    // Data Protection's key ring (PersistKeysToDbContext): cookies, antiforgery tokens and TOTP secrets of every instance.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OneTimeCode> OneTimeCodes => Set<OneTimeCode>();
    public DbSet<RememberedDevice> RememberedDevices => Set<RememberedDevice>();
    public DbSet<UserSession> Sessions => Set<UserSession>();
    public DbSet<Delegation> Delegations => Set<Delegation>();
    public DbSet<AccessRestriction> AccessRestrictions => Set<AccessRestriction>();
    public DbSet<PersonalDataConsent> PersonalDataConsents => Set<PersonalDataConsent>();
    // One data key per person, wrapped in the HSM: it seals their passport and OMS policy (Accounts/PersonDocuments).
    public DbSet<PatientDataKey> PatientDataKeys => Set<PatientDataKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.StoreSealedValues();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        WithoutAspNetPrefix(modelBuilder);

        modelBuilder.Entity<HealthUser>(user =>
        {
            user.Property(u => u.Snils).HasMaxLength(11).IsFixedLength();
            user.HasIndex(u => u.Snils).IsUnique().HasFilter("snils IS NOT NULL");
            user.Property(u => u.FamilyName).HasMaxLength(100);
            user.Property(u => u.GivenName).HasMaxLength(100);
            user.Property(u => u.MiddleName).HasMaxLength(100);
            user.Property(u => u.OrganizationName).HasMaxLength(300);
            user.HasIndex(u => u.OrganizationId);
            user.Property(u => u.Level).HasConversion<string>().HasMaxLength(20);
            user.Property(u => u.LevelConfirmedBy).HasMaxLength(100);
            // Passport and OMS policy are sealed (bytea); one policy per account is kept by its number's blind index.
            user.HasIndex(u => u.OmsPolicyNumberIndex).IsUnique().HasFilter("oms_policy_number_index IS NOT NULL");
            user.Property(u => u.TotpSecret).HasMaxLength(1000);
            user.HasIndex(u => u.PhoneNumber);
            // Identity names its own indexes (EmailIndex, UserNameIndex, RoleNameIndex); these follow the convention.
            user.HasIndex(u => u.NormalizedEmail).HasDatabaseName("ix_users_normalized_email");
            user.HasIndex(u => u.NormalizedUserName).HasDatabaseName("ix_users_normalized_user_name");
        });

        modelBuilder.Entity<IdentityRole<Guid>>().HasIndex(r => r.NormalizedName).HasDatabaseName("ix_roles_normalized_name");

        modelBuilder.Entity<OneTimeCode>(code =>
        {
            code.ToTable("one_time_codes");
            code.HasKey(c => c.Id);
            code.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(20);
            code.Property(c => c.Channel).HasConversion<string>().HasMaxLength(10);
            code.Property(c => c.Destination).HasMaxLength(256);
            code.Property(c => c.CodeHash).HasMaxLength(64);
            code.HasIndex(c => new { c.FlowId, c.Channel });
            code.HasIndex(c => new { c.Destination, c.CreatedAt });
            code.HasIndex(c => c.ExpiresAt);
        });

        modelBuilder.Entity<RememberedDevice>(device =>
        {
            device.ToTable("remembered_devices");
            device.HasKey(d => d.Id);
            device.Property(d => d.TokenHash).HasMaxLength(64);
            device.HasIndex(d => d.TokenHash).IsUnique();
            device.HasIndex(d => d.UserId);
            device.Property(d => d.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<UserSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(x => x.Id);
            session.HasIndex(x => x.UserId);
            session.Property(x => x.ClientId).HasMaxLength(100);
            session.Property(x => x.AuthenticationMethods).HasMaxLength(100);
            session.Property(x => x.IpAddress).HasMaxLength(64);
            session.Property(x => x.UserAgent).HasMaxLength(500);
            session.Property(x => x.EndReason).HasMaxLength(50);
        });

        modelBuilder.Entity<Delegation>(delegation =>
        {
            delegation.ToTable("delegations");
            delegation.HasKey(d => d.Id);
            delegation.HasIndex(d => d.PrincipalId);
            delegation.HasIndex(d => d.ActorId);
            delegation.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
            delegation.Property(d => d.Scope).HasConversion<string>().HasMaxLength(20);
            delegation.Property(d => d.DocumentReference).HasMaxLength(100);
        });

        modelBuilder.Entity<AccessRestriction>(restriction =>
        {
            restriction.ToTable("access_restrictions");
            restriction.HasKey(r => r.Id);
            restriction.HasIndex(r => r.PatientId);
            restriction.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            restriction.Property(r => r.OrganizationName).HasMaxLength(300);
            restriction.Property(r => r.Section).HasMaxLength(50);
        });

        modelBuilder.Entity<PersonalDataConsent>(consent =>
        {
            consent.ToTable("personal_data_consents");
            consent.HasKey(c => c.Id);
            consent.HasIndex(c => c.UserId);
            consent.Property(c => c.Version).HasMaxLength(20);
            consent.Property(c => c.IpAddress).HasMaxLength(64);
        });

        // OpenIddict's applications (the OAuth clients), authorizations (one per sign-in on a client), scopes and tokens
        // (codes and refresh tokens; access tokens are self-contained JWTs).
        modelBuilder.UseOpenIddict<Guid>();
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreApplication<Guid>>().ToTable("oauth_applications");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreAuthorization<Guid>>().ToTable("oauth_authorizations");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreScope<Guid>>().ToTable("oauth_scopes");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreToken<Guid>>().ToTable("oauth_tokens");

        modelBuilder.Entity<SigningKey>(key =>
        {
            key.ToTable("signing_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.KeyId).HasMaxLength(100);
            key.HasIndex(k => k.KeyId).IsUnique();
            key.Property(k => k.Algorithm).HasMaxLength(10);
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.FriendlyName).HasMaxLength(200);
            key.Property(k => k.Xml).IsRequired(); // as the table has it from before the package's entity
        });

        Gosuslugi.Health.Identity.Passkeys.PasskeyUse.Configure(modelBuilder);
        Gosuslugi.Health.Identity.Signatures.LinkedCertificate.Configure(modelBuilder);
        modelBuilder.AddPatientDataKeys();
        modelBuilder.AddOutboxAndInbox();
    }

    /// <summary>
    /// Identity's tables without their AspNet prefix (users, not asp_net_users); every other name, columns, keys and
    /// indexes included, comes from the snake_case naming convention.
    /// </summary>
    private static void WithoutAspNetPrefix(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HealthUser>().ToTable("users");
        modelBuilder.Entity<IdentityRole<Guid>>().ToTable("roles");
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        modelBuilder.Entity<IdentityUserPasskey<Guid>>().ToTable("user_passkeys");
    }
}
