using System.Net;
using System.Net.Sockets;
using Gosuslugi.Health.Gateway.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Gateway.Tests.Infrastructure;

/// <summary>The real gateway (its Program) on Kestrel at 127.0.0.1:0, configured only through configuration keys.</summary>
public sealed class GatewayApp : WebApplicationFactory<Program>
{
    readonly IReadOnlyDictionary<string, string?> _settings;

    GatewayApp(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public static GatewayApp Start(IReadOnlyDictionary<string, string?> settings)
    {
        var app = new GatewayApp(settings);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Host settings, not ConfigureAppConfiguration: client integrations (Aspire's Redis) read their connection
        // string while the app registers its services, before app configuration callbacks would apply.
        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["Logging:LogLevel:Default"] = "Warning",
                     ["Logging:LogLevel:Gosuslugi"] = "Information",
                 }.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The address Kestrel actually bound (the port was chosen at start).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public HttpClient CreateGatewayClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Address, AllowAutoRedirect = false });

    /// <summary>Every service, identity included, pointing at its own echo backend.</summary>
    public static Dictionary<string, string?> ServiceUrls(IReadOnlyDictionary<string, EchoBackend> backends) =>
        backends.ToDictionary(b => $"services:{b.Key}:http:0", b => (string?)b.Value.Url);

    public static IEnumerable<string> AllServices => GatewayRoutes.Services.Prepend(GatewayRoutes.Identity);

    /// <summary>A loopback URL where nothing listens (the port was free a moment ago).</summary>
    public static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
