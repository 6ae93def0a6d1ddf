using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Gateway;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.TestInfrastructure;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// The slice of the system this flow needs, wired the way the AppHost wires it: real PostgreSQL
/// (a database per service), RabbitMQ and Redis; identity issuing tokens whose issuer is the gateway's
/// public URL; every request from the tests going through the gateway.
/// </summary>
public sealed class HealthSystem : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _apps = [];

    public Uri GatewayUrl { get; private set; } = null!;
    public DemoAccounts Accounts { get; private set; } = null!;

    /// <summary>The SMS and e-mail identity "sent": sign-in codes.</summary>
    public Mailbox Mailbox { get; } = new(Path.Combine(Path.GetTempPath(), "e2e-mailbox-" + Guid.NewGuid().ToString("N")));
    public ServiceApp<DemoDataSeeder> Identity { get; private set; } = null!;
    public ServiceApp<AppointmentsDb> Appointments { get; private set; } = null!;
    public ServiceApp<ImmunizationsDb> Immunizations { get; private set; } = null!;
    public ServiceApp<NotificationsDb> Notifications { get; private set; } = null!;
    public ServiceApp<RecordsDb> Records { get; private set; } = null!;
    public ServiceApp<AuditDb> Audit { get; private set; } = null!;
    public ServiceApp<DisputesDb> Disputes { get; private set; } = null!;

    /// <summary>Signs the person in through the gateway with the public client: password, then their second factor.</summary>
    public async Task<string> SignInAsync(IDemoPerson person)
    {
        using var oidc = new OidcClient(GatewayUrl);
        var client = Accounts.PublicClient;
        // The patient has an authenticator app; the other patient gets an SMS code (read from identity's mailbox).
        var secondFactor = person.TotpSecret is { } secret
            ? SecondFactor.AuthenticatorApp(secret)
            : SecondFactor.CodeFromMailbox(Mailbox, person.Phone!);
        return (await oidc.SignInWithCodeAsync(client.ClientId, client.RedirectUri, person.Username, person.Password, secondFactor)).AccessToken;
    }

    /// <summary>The demo medical organization's token (client credentials through the gateway).</summary>
    public async Task<string> OrganizationTokenAsync()
    {
        using var oidc = new OidcClient(GatewayUrl);
        var organization = Accounts.MedicalOrganization;
        return (await oidc.ClientCredentialsAsync(organization.ClientId, organization.ClientSecret)).AccessToken;
    }

    /// <summary>A client of the gateway with the bearer token.</summary>
    public HttpClient GatewayClient(string token)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var rabbitmq = await servers.RabbitMq.CreateVirtualHostAsync();
        // The gateway's URL is every token's issuer, so its port is chosen first and held until the gateway binds it;
        // every other port is chosen right before its service starts (other test processes pick ports too).
        using var gatewayPort = new TcpListener(IPAddress.Loopback, 0);
        gatewayPort.Start();
        GatewayUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)gatewayPort.LocalEndpoint).Port}/");
        string identityUrl = null!;

        Dictionary<string, string?> Settings(params (string Key, string Value)[] own) => new(own.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
        {
            ["ConnectionStrings:rabbitmq"] = rabbitmq,
            ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            ["Identity:Issuer"] = GatewayUrl.ToString().TrimEnd('/'),
            ["Identity:Url"] = identityUrl,
            ["services:identity:http:0"] = identityUrl,
        };

        var identityDb = await servers.Postgres.CreateDatabaseAsync();
        Identity = await StartAsync(port =>
        {
            identityUrl = $"http://127.0.0.1:{port}";
            return new ServiceApp<DemoDataSeeder>(port, Settings(
                ("ConnectionStrings:identitydb", identityDb),
                ("Identity:Mailbox:Directory", Mailbox.Directory)));
        });
        async Task<ServiceApp<TDb>> StartServiceAsync<TDb>(string database) where TDb : class
        {
            var connectionString = await servers.Postgres.CreateDatabaseAsync();
            return await StartAsync(port => new ServiceApp<TDb>(port, Settings(($"ConnectionStrings:{database}", connectionString))));
        }
        Appointments = await StartServiceAsync<AppointmentsDb>("appointmentsdb");
        Immunizations = await StartServiceAsync<ImmunizationsDb>("immunizationsdb");
        Notifications = await StartServiceAsync<NotificationsDb>("notificationsdb");
        Records = await StartServiceAsync<RecordsDb>("recordsdb");
        Audit = await StartServiceAsync<AuditDb>("auditdb");
        Disputes = await StartServiceAsync<DisputesDb>("disputesdb");

        var gatewaySettings = Settings(
            ("services:appointments:http:0", Appointments.Url.ToString().TrimEnd('/')),
            ("services:immunizations:http:0", Immunizations.Url.ToString().TrimEnd('/')),
            ("services:notifications:http:0", Notifications.Url.ToString().TrimEnd('/')),
            ("services:records:http:0", Records.Url.ToString().TrimEnd('/')),
            ("services:audit:http:0", Audit.Url.ToString().TrimEnd('/')),
            ("services:disputes:http:0", Disputes.Url.ToString().TrimEnd('/')));
        gatewayPort.Stop();
        Track(new ServiceApp<GatewayOptions>(GatewayUrl.Port, gatewaySettings).Start());

        // Accounts are created by identity's own provisioning code, the way the demo data is made on first start.
        await using var scope = Identity.Services.CreateAsyncScope();
        Accounts = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().CreateDemoAccountsAsync();
    }

    /// <summary>Starts a service on a free port, on another one if a process elsewhere took that port in the meantime.</summary>
    private async Task<ServiceApp<T>> StartAsync<T>(Func<int, ServiceApp<T>> create) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = create(FreePort());
            try
            {
                return Track(app.Start());
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is AddressInUseException)
            {
                await app.DisposeAsync();
            }
        }
    }

    private ServiceApp<T> Track<T>(ServiceApp<T> app) where T : class
    {
        _apps.Add(app);
        return app;
    }

    public async Task DisposeAsync()
    {
        for (var i = _apps.Count - 1; i >= 0; i--) await _apps[i].DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
