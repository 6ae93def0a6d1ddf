using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Delegations;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Pages;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.Identity.Signatures;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Extensions;

public static class IdentityServiceExtensions
{
    /// <summary>Accounts (ASP.NET Core Identity on PostgreSQL) and the OAuth 2.0 / OpenID Connect token service.</summary>
    public static WebApplicationBuilder AddIdentityService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TokenServiceOptions>()
            .BindConfiguration(TokenServiceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Issuer, UriKind.Absolute, out _), "Identity:Issuer must be an absolute URL.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        builder.AddServiceDatabase<IdentityDb>("identitydb");
        // Token-signing keys, the key that encrypts Data Protection's key ring and the key that wraps each person's data
        // key (their sealed passport and OMS policy) live in the HSM.
        builder.AddPatientDataEncryption<IdentityDb>();
        // A database from before sealed documents is sealed in place between its two migrations.
        services.AddScoped<IMigrationDataStep<IdentityDb>, SealPersonDocumentsStep>();
        builder.AddServiceMessaging<IdentityDb>();

        services.AddIdentityCore<HealthUser>(o =>
            {
                // The password and lockout policy is revisited with registration and MFA (a later issue).
                PasswordPolicy.Configure(o.Password); // the rules themselves: Security/PasswordPolicy (AddSecurityPrimitives)
                o.Lockout.AllowedForNewUsers = true;
                // Counted and grown (5 minutes to 1 hour) by SignIn/AccountLockout; these are Identity's own defaults kept in line.
                o.Lockout.MaxFailedAccessAttempts = 3;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.User.RequireUniqueEmail = false;
                IdentityDb.ConfigureStore(o);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager();
        services.TryAddScoped<ISecurityStampValidator, SecurityStampValidator<HealthUser>>();
        services.TryAddScoped<ITwoFactorSecurityStampValidator, TwoFactorSecurityStampValidator<HealthUser>>();

        // The sign-in session at /connect/authorize. Bearer tokens stay the default scheme; the cookie is
        // read only by the authorization endpoint, and its path keeps it away from the APIs that share
        // the gateway's origin.
        services.AddAuthentication().AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "gosuslugi.health.session";
            o.Cookie.Path = "/connect";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "gosuslugi.health.antiforgery";
            o.Cookie.Path = "/connect";
            o.SuppressXFrameOptionsHeader = true; // the login page sends DENY itself
        });
        // The key ring in identity's database, so that every instance accepts what another protected; its keys are
        // encrypted by the HSM (AddServiceHsm).
        // AES-256-GCM for what it protects (TOTP secrets among them), like the medical data at rest; keys made before
        // keep the algorithm they were made with, so what they protected still opens.
        services.AddDataProtection().SetApplicationName("gosuslugi-health-identity").PersistKeysToDbContext<IdentityDb>()
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM });

        // Bearer tokens presented to identity itself (userinfo, later the account API) are checked by
        // ServiceDefaults' rules, with keys from identity's own database instead of an HTTP call to itself.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<SigningKeyStore, IOptions<TokenServiceOptions>>((o, keys, tokenOptions) =>
            {
                o.ConfigurationManager = new LocalSigningKeysConfiguration(keys, tokenOptions.Value);
                o.TokenValidationParameters.ValidIssuer = tokenOptions.Value.Issuer;
                o.TokenValidationParameters.ValidAudience = tokenOptions.Value.Audience;
            });

        services.AddSingleton<SigningKeyStore>();
        services.AddTokenServer();
        services.AddSingleton<TokenPrincipals>();
        services.AddSingleton<VerifiedClientSecrets>();
        services.AddScoped<ClientRegistry>();
        services.AddScoped<AuthorizationRequests>();
        services.AddScoped<TokenGrants>();
        services.AddScoped<AccountProvisioning>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<BenchUsersSeeder>();
        services.AddHttpContextAccessor();
        services.AddScoped<SecurityEvents>();
        services.AddSecurityPrimitives();
        services.AddAccounts();
        services.AddPasskeys();
        services.AddSignIn();
        services.AddIdentityPages();
        services.AddDelegations();
        services.AddSignatures();

        // Registered after AddServiceDatabase, so it starts after the migrations are applied.
        services.AddScoped<IMigrationDataStep<IdentityDb>, ImportOwnClientsStep>();
        services.AddHostedService<IdentityStartup>();
        StartAfterMigrations(services, "DataProtectionHostedService");
        services.AddHostedService<ExpiredGrantsCleanup>();
        services.AddSessionsAndAdministration();
        return builder;
    }

    /// <summary>
    /// Hosted services start in registration order. Data Protection's, registered with the web host's
    /// defaults, reads the key ring (in identity's database) and must not run before the migrations.
    /// </summary>
    private static void StartAfterMigrations(IServiceCollection services, string hostedServiceTypeName)
    {
        var descriptor = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == hostedServiceTypeName);
        if (descriptor is null) return;
        services.Remove(descriptor);
        services.Add(descriptor);
    }
}
