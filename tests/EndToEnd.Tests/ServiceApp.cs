using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// One real service (its own Program) listening on Kestrel at a loopback port, configured only through
/// configuration keys, exactly as the AppHost would configure its process.
/// </summary>
/// <typeparam name="TMarker">Any public type of the service's assembly (every service has a <c>Program</c>).</typeparam>
public sealed class ServiceApp<TMarker>(int port, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TMarker> where TMarker : class
{
    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");

    public ServiceApp<TMarker> Start()
    {
        UseKestrel(port);
        StartServer();
        return this;
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
                 }.Concat(settings))
        {
            builder.UseSetting(key, value);
        }
    }
}
