using System.Net;
using System.Net.Sockets;
using Gosuslugi.Health.Gateway;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.TestInfrastructure;
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
    public ServiceApp<ImmunizationsDb> Immunizations { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var rabbitmq = await servers.RabbitMq.CreateVirtualHostAsync();
        int identityPort = FreePort(), immunizationsPort = FreePort(), notificationsPort = FreePort(), gatewayPort = FreePort();
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}/");
        var identityUrl = $"http://127.0.0.1:{identityPort}";

        Dictionary<string, string?> Settings(params (string Key, string Value)[] own) => new(own.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
        {
            ["ConnectionStrings:rabbitmq"] = rabbitmq,
            ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            ["Identity:Issuer"] = GatewayUrl.ToString().TrimEnd('/'),
            ["Identity:Url"] = identityUrl,
            ["services:identity:http:0"] = identityUrl,
        };

        Identity = Track(new ServiceApp<DemoDataSeeder>(identityPort, Settings(
            ("ConnectionStrings:identitydb", await servers.Postgres.CreateDatabaseAsync()),
            ("Identity:Mailbox:Directory", Mailbox.Directory))).Start());
        Immunizations = Track(new ServiceApp<ImmunizationsDb>(immunizationsPort,
            Settings(("ConnectionStrings:immunizationsdb", await servers.Postgres.CreateDatabaseAsync()))).Start());
        Track(new ServiceApp<NotificationsDb>(notificationsPort,
            Settings(("ConnectionStrings:notificationsdb", await servers.Postgres.CreateDatabaseAsync()))).Start());
        Track(new ServiceApp<GatewayOptions>(gatewayPort, Settings(
            ("services:immunizations:http:0", $"http://127.0.0.1:{immunizationsPort}"),
            ("services:notifications:http:0", $"http://127.0.0.1:{notificationsPort}"))).Start());

        // Accounts are created by identity's own provisioning code, the way the demo data is made on first start.
        await using var scope = Identity.Services.CreateAsyncScope();
        Accounts = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().CreateDemoAccountsAsync();
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
