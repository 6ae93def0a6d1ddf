using System.Net;
using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Http;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

/// <summary>
/// The client's address behind a proxy, on real Kestrel (an in-memory test server has no peer address, and the
/// forwarded-headers rules depend on it).
/// </summary>
public sealed class ClientAddressTests
{
    private static async Task<WebApplication> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = (await TestServers.GetAsync()).Redis.ConnectionString,
        }.Concat(settings ?? []));
        builder.AddServiceDefaults();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGet("/whoami", (HttpContext c) => new { address = c.Connection.RemoteIpAddress?.ToString(), scheme = c.Request.Scheme });
        await app.StartAsync();
        return app;
    }

    private static async Task<(string Address, string Scheme)> WhoAmIAsync(WebApplication app, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("address").GetString()!, body.GetProperty("scheme").GetString()!);
    }

    [Fact]
    public async Task Behind_a_loopback_proxy_the_service_sees_the_address_the_proxy_forwarded()
    {
        await using var app = await StartAsync();

        (await WhoAmIAsync(app, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")))
            .ShouldBe(("203.0.113.7", "https"));
        (await WhoAmIAsync(app)).ShouldBe(("127.0.0.1", "http"));
    }

    [Fact]
    public async Task Only_the_proxys_own_entry_counts_not_what_the_client_wrote_before_it()
    {
        await using var app = await StartAsync();

        // "forged, real": the proxy appended the real peer; the first entry is whatever the client claimed.
        (await WhoAmIAsync(app, ("X-Forwarded-For", "198.51.100.99, 203.0.113.7"))).Address.ShouldBe("203.0.113.7");
    }

    [Fact]
    public async Task A_peer_that_is_not_a_configured_proxy_is_not_believed()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = "10.20.30.40" });

        (await WhoAmIAsync(app, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")))
            .ShouldBe(("127.0.0.1", "http"));
    }

    [Fact]
    public async Task Configured_proxies_and_networks_are_believed_and_may_be_given_comma_separated()
    {
        await using var byAddress = await StartAsync(new() { ["ForwardedHeaders:KnownProxies"] = "10.20.30.40, 127.0.0.1" });
        (await WhoAmIAsync(byAddress, ("X-Forwarded-For", "203.0.113.8"))).Address.ShouldBe("203.0.113.8");

        await using var byNetwork = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/24" });
        (await WhoAmIAsync(byNetwork, ("X-Forwarded-For", "203.0.113.9"))).Address.ShouldBe("203.0.113.9");
    }

    [Fact]
    public async Task A_malformed_proxy_address_stops_the_start()
    {
        var failure = await Should.ThrowAsync<Exception>(() =>
            StartAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = "gateway.internal" }));
        failure.GetBaseException().Message.ShouldContain("ForwardedHeaders:KnownProxies");
    }

    [Fact]
    public async Task The_edge_ignores_forwarding_headers_altogether()
    {
        await using var app = await StartAsync(services: s => s.IgnoreForwardedHeaders());

        (await WhoAmIAsync(app, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")))
            .ShouldBe(("127.0.0.1", "http"));
    }
}
