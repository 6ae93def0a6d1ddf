using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Interop;

/// <summary>
/// identity on a real socket (Kestrel) with its own database, for the tests that must own the whole service: an OIDC
/// client library that fetches discovery and JWKS over HTTP, and key rotation (the shared fixture's key set must not
/// change under the other tests' feet). Its issuer is its own URL, as in production behind no gateway.
/// </summary>
public sealed class OwnIdentityFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "identity-own-tests-" + Guid.NewGuid().ToString("N"));

    public IdentityFactory Factory { get; private set; } = null!;
    public Uri Issuer { get; private set; } = null!;
    public string IssuerUrl => Issuer.ToString().TrimEnd('/');
    public DemoAccounts Demo { get; private set; } = null!;

    /// <summary>The demo file identity wrote on its first start (with the generated passwords and secrets).</summary>
    public string DemoFile => Path.Combine(_dataFolder, "demo.json");

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var port = FreePort();
        Issuer = new Uri($"http://127.0.0.1:{port}/");
        var demoFile = DemoFile;
        var settings = IdentityServiceFixture.Settings(await servers.Postgres.CreateDatabaseAsync(), await servers.RabbitMq.CreateVirtualHostAsync(), demoFile);
        settings["Identity:Issuer"] = IssuerUrl;
        Factory = new IdentityFactory(settings);
        Factory.UseKestrel(port);
        Factory.StartServer();
        Demo = JsonSerializer.Deserialize<DemoAccounts>(await File.ReadAllTextAsync(demoFile))!;
    }

    /// <summary>A browser-like client over the socket: its own cookies, redirects not followed.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = Issuer };

    public async Task<Guid> UserIdAsync(string username)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class OwnIdentityCollection : ICollectionFixture<OwnIdentityFixture>
{
    public const string Name = "own identity";
}
