using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Gosuslugi.Health.AppHost;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Npgsql;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>The whole system, started once for every end-to-end test (see <see cref="HealthSystem"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<HealthSystem>
{
    public const string Name = "system";
}

/// <summary>
/// The system exactly as <c>./run.sh</c> composes it: the AppHost itself, started through Aspire.Hosting.Testing on its
/// own data folder and its own ports (base <see cref="PortBase"/>), with the dashboard on (anonymous) so that tests can
/// read the traces the services send it. Tests talk only through the gateway; they may read the demo accounts, the
/// development mailbox, a service's database through its connection string, and the dashboard's telemetry API.
/// </summary>
public sealed class HealthSystem : IAsyncLifetime
{
    /// <summary>Gateway 9400, dashboard 9401, servers 9402.., OTLP 9409, projects 9410.. (AppHost.Tests use 9440..).</summary>
    public const int PortBase = 9400;

    // About 2 minutes on an idle 2-core machine; far more when the machine is shared by many builds and test runs.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(25);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gh-e2e-").FullName;
    private DistributedApplication? _app;
    private int _benchUsersTaken;

    public Uri GatewayUrl { get; } = new($"http://127.0.0.1:{PortBase}/");
    /// <summary>The Aspire dashboard (anonymous here): its telemetry API serves the traces every service exported.</summary>
    public Uri DashboardUrl { get; private set; } = null!;
    public DemoAccounts Accounts { get; private set; } = null!;

    /// <summary>The SMS and e-mail identity "sent": sign-in codes.</summary>
    public Mailbox Mailbox => new(Path.Combine(_dataDirectory, "mailbox"));

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Gosuslugi_Health_AppHost>(
            ["--data-dir", _dataDirectory, "--port-base", PortBase.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dashboard-anonymous"],
            (options, _) =>
            {
                // The dashboard receives every service's OTLP; its telemetry API is what the trace tests read.
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            });
        // Confirmed patients with a password and an authenticator app, for tests that need a fresh person (guardians).
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("Identity__BenchUsers__Count", "6")
            .WithEnvironment("Identity__BenchUsers__File", BenchUsersFile);
        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitAllHealthyAsync(
            builder.Resources.Where(Gosuslugi.Health.AppHost.ReadySummary.IsAwaited).Select(r => r.Name), timeout.Token);

        // The dashboard is a hidden resource of the application; its port follows the AppHost's port plan.
        try { DashboardUrl = _app.GetEndpoint("aspire-dashboard", "http"); }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { DashboardUrl = new Uri($"http://127.0.0.1:{PortBase + 1}/"); }

        var demo = JsonSerializer.Deserialize<DemoAccounts>(await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "demo.json")))!;
        // The organization's id and name are in its token (org_id, org_name), not in demo.json.
        var organization = Claims(await OrganizationTokenAsync(demo));
        Accounts = demo with
        {
            MedicalOrganization = demo.MedicalOrganization with
            {
                OrganizationId = Guid.Parse(organization.GetProperty("org_id").GetString()!),
                OrganizationName = organization.GetProperty("org_name").GetString()!,
            },
        };
    }

    private string BenchUsersFile => Path.Combine(_dataDirectory, "bench-users.json");

    /// <summary>A confirmed patient nobody else uses (one of identity's benchmark accounts: password and authenticator app).</summary>
    public async Task<DemoUser> FreshConfirmedPatientAsync()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(BenchUsersFile));
        var user = json.RootElement[Interlocked.Increment(ref _benchUsersTaken) - 1];
        return new DemoUser(user.GetProperty("username").GetString()!, user.GetProperty("password").GetString()!)
        {
            TotpSecret = user.GetProperty("totpSecret").GetString(),
        };
    }

    /// <summary>
    /// Signs the person in through the gateway with the public client: password, then their second factor. A person
    /// without an authenticator app gets one SMS code a minute, so their token is signed in once and shared by the
    /// tests (none of them signs it out) while it has more than a minute left.
    /// </summary>
    public async Task<string> SignInAsync(IDemoPerson person)
    {
        if (person.TotpSecret is { } secret) return await SignInOnceAsync(person, SecondFactor.AuthenticatorApp(secret));
        await _smsSignIn.WaitAsync();
        try
        {
            if (_smsTokens.TryGetValue(person.Username, out var token)
                && DateTimeOffset.FromUnixTimeSeconds(Claims(token).GetProperty("exp").GetInt64()) > DateTimeOffset.UtcNow.AddMinutes(1))
            {
                return token;
            }
            return _smsTokens[person.Username] = await SignInOnceAsync(person, SecondFactor.CodeFromMailbox(Mailbox, person.Phone!));
        }
        finally
        {
            _smsSignIn.Release();
        }
    }

    private readonly SemaphoreSlim _smsSignIn = new(1, 1);
    private readonly Dictionary<string, string> _smsTokens = [];

    private async Task<string> SignInOnceAsync(IDemoPerson person, SecondFactor secondFactor)
    {
        using var oidc = new OidcClient(GatewayUrl);
        var client = Accounts.PublicClient;
        return (await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, person.Username, person.Password, secondFactor)).AccessToken;
    }

    /// <summary>The demo medical organization's token (client credentials through the gateway).</summary>
    public Task<string> OrganizationTokenAsync() => OrganizationTokenAsync(Accounts);

    private async Task<string> OrganizationTokenAsync(DemoAccounts accounts)
    {
        using var oidc = new OidcClient(GatewayUrl);
        return (await oidc.ClientCredentialsAsync(accounts.MedicalOrganization.ClientId, accounts.MedicalOrganization.ClientSecret)).AccessToken;
    }

    /// <summary>A client of the gateway with the bearer token.</summary>
    public HttpClient GatewayClient(string token)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The <c>sub</c> of an access token: the account's id.</summary>
    public static Guid Subject(string token) => Guid.Parse(Claims(token).GetProperty("sub").GetString()!);

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }

    /// <summary>An open connection to a service's database (by its resource name, e.g. immunizationsdb), as the AppHost gives it.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync(string name)
    {
        var connection = new NpgsqlConnection(await _app!.GetConnectionStringAsync(name));
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* PostgreSQL's files belong to postgres */ }
    }
}
