using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults.Http;

/// <summary>
/// Behind the gateway a service's TCP peer is the gateway; the person's address arrives in X-Forwarded-For, which YARP
/// sets from the real connection (after the gateway dropped whatever the client sent). It is believed only when the
/// peer is a known proxy: loopback by default, or <c>ForwardedHeaders:KnownProxies</c> (addresses) and
/// <c>ForwardedHeaders:KnownNetworks</c> (CIDR), as a list or comma-separated. Then
/// <c>HttpContext.Connection.RemoteIpAddress</c> is the client's, for throttling, sessions and audit.
/// The gateway, the system's edge, switches this off: it must never believe a client about its address.
/// </summary>
public static class ForwardedHeadersDefaults
{
    public const string SectionName = "ForwardedHeaders";

    internal static IHostApplicationBuilder AddForwardedHeadersDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((options, configuration) => Configure(options, configuration.GetSection(SectionName)))
            .ValidateOnStart();
        return builder;
    }

    /// <summary>For the edge (the gateway): forwarding headers are never applied, whoever sends them.</summary>
    public static IServiceCollection IgnoreForwardedHeaders(this IServiceCollection services) =>
        services.PostConfigure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.None);

    private static void Configure(ForwardedHeadersOptions options, IConfigurationSection section)
    {
        // Only the client address and the scheme: the host stays what the service was called by.
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // One hop: the gateway's entry, which it set from its own connection. Anything further left is the client's claim.
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();

        var proxies = Values(section.GetSection("KnownProxies"));
        var networks = Values(section.GetSection("KnownNetworks"));
        if (proxies.Count == 0 && networks.Count == 0)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
            return;
        }

        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{SectionName}:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{SectionName}:KnownNetworks: '{network}' is not a CIDR network."));
        }
    }

    private static List<string> Values(IConfigurationSection section)
    {
        IEnumerable<string?> raw = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value);
        return raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }
}
