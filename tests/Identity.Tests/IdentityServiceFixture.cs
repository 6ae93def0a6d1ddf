using OpenIddict.Abstractions;
using Gosuslugi.Health.Identity.Tokens;
using System.Text.Json;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests;

/// <summary>
/// The real identity service in process, on its own database and virtual host of the shared test
/// servers, with demo data seeded at start-up exactly as in the running system.
/// </summary>
public sealed class IdentityServiceFixture : IAsyncLifetime
{
    /// <summary>The test server's base address doubles as the public issuer.</summary>
    public const string Issuer = "http://localhost";
    public const string Audience = "gosuslugi-health-api";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "identity-tests-" + Guid.NewGuid().ToString("N"));

    public IdentityFactory Factory { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public string RabbitMq { get; private set; } = "";
    public string DemoFile => Path.Combine(_dataFolder, "demo.json");

    /// <summary>The messages identity "sent" by SMS and e-mail.</summary>
    public Mailbox Mailbox => new(Path.Combine(_dataFolder, "mailbox"));

    /// <summary>What the service wrote to <see cref="DemoFile"/> on first start.</summary>
    public DemoAccounts Demo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await servers.Postgres.CreateDatabaseAsync();
        RabbitMq = await servers.RabbitMq.CreateVirtualHostAsync();
        Factory = new IdentityFactory(Settings(ConnectionString, RabbitMq, DemoFile));
        _ = Factory.Server; // start: migrations, signing key, demo data
        var fromFile = JsonSerializer.Deserialize<DemoAccounts>(await File.ReadAllTextAsync(DemoFile))!;
        Demo = await WithScopeAsync(sp => WithIdsAsync(sp.GetRequiredService<IdentityDb>(), sp.GetRequiredService<ClientRegistry>(), fromFile));
    }

    /// <summary>The file holds only the contract; tests also want the ids behind it.</summary>
    private static async Task<DemoAccounts> WithIdsAsync(IdentityDb db, ClientRegistry clients, DemoAccounts demo)
    {
        async Task<DemoPatient> Patient(DemoPatient p)
        {
            var user = await db.Users.SingleAsync(u => u.UserName == p.Username);
            return p with
            {
                UserId = user.Id,
                FamilyName = user.FamilyName,
                GivenName = user.GivenName,
                MiddleName = user.MiddleName,
                BirthDate = user.BirthDate!.Value,
            };
        }
        async Task<DemoUser> Person(DemoUser p)
        {
            var user = await db.Users.SingleAsync(u => u.UserName == p.Username);
            return p with { UserId = user.Id, OrganizationId = user.OrganizationId };
        }
        var client = await clients.FindAsync(demo.MedicalOrganization.ClientId, default)
            ?? throw new InvalidOperationException("The demo organization's client is not registered.");
        return demo with
        {
            Patient = await Patient(demo.Patient),
            OtherPatient = await Patient(demo.OtherPatient),
            Doctor = await Person(demo.Doctor),
            Admin = await Person(demo.Admin),
            MedicalOrganization = demo.MedicalOrganization with
            {
                OrganizationId = client.OrganizationId!.Value,
                OrganizationName = client.OrganizationName!,
            },
        };
    }

    // One HSM token per database: a second instance on the same database signs with the same keys.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string?>> HsmTokens = new();

    public static Dictionary<string, string?> Settings(string connectionString, string rabbitMq, string demoFile) => new(
        HsmTokens.GetOrAdd(connectionString, _ => TestHsm.NewTokenSettings("identity-tests")))
    {
        ["ConnectionStrings:identitydb"] = connectionString,
        ["ConnectionStrings:rabbitmq"] = rabbitMq,
        // Token deny-list, code throttling, passkey ceremonies; the shared servers are already up when this runs.
        ["ConnectionStrings:redis"] = TestServers.GetAsync().GetAwaiter().GetResult().Redis.ConnectionString,
        ["Identity:Issuer"] = Issuer,
        ["Identity:Audience"] = Audience,
        ["Identity:SeedDemoData"] = "true",
        ["Identity:DemoFile"] = demoFile,
        // SMS and e-mail land in {folder}/mailbox/messages.jsonl, where tests read the codes (see Mailbox).
        ["Identity:Mailbox:Directory"] = Path.Combine(Path.GetDirectoryName(demoFile)!, "mailbox"),
    };

    /// <summary>A browser-like client: its own cookies, redirects not followed.</summary>
    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri(Issuer),
    });

    /// <summary>Runs <paramref name="action"/> with the service's own scoped services (the seeder, the database).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>New accounts of this test's own, the way tests and e2e create users.</summary>
    /// <param name="withAuthenticatorApps">
    /// By default nobody has an authenticator app: sign-in and recovery use SMS and e-mail codes (the mailbox). With
    /// apps, sign-ins take TOTP codes, one per 30 seconds per person (see IdentityTest.NewPatientAsync).
    /// </param>
    public Task<DemoAccounts> CreateAccountsAsync(bool withAuthenticatorApps = false) =>
        WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreateDemoAccountsAsync(withAuthenticatorApps: withAuthenticatorApps));

    public Task<T> WithDbAsync<T>(Func<IdentityDb, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IdentityDb>()));

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

public sealed class IdentityFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityServiceFixture>
{
    public const string Name = "identity";
}
