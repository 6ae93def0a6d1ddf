using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Gateway.Security;

/// <summary>
/// Section <c>Gateway:Https</c>: the gateway's TLS listener. Without a <see cref="Port"/> the gateway serves plain HTTP
/// (the loopback development default); with one, it serves HTTPS with TLS 1.3 only, and plain HTTP stays only on the
/// loopback addresses among <c>urls</c> (<c>ASPNETCORE_URLS</c>).
/// </summary>
public sealed class GatewayHttpsOptions
{
    public const string SectionName = "Gateway:Https";

    public int? Port { get; set; }

    /// <summary>The address to listen on; loopback unless the operator opens it (<c>0.0.0.0</c>, <c>::</c>).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>A PKCS#12 file (with <see cref="CertificatePassword"/>), or a PEM certificate (with <see cref="KeyPath"/>, or its key in the same file).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's when it is encrypted. Never in the repository.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A PEM private key for a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }
}

public static class GatewayHttps
{
    /// <summary>
    /// TLS 1.3 only: its cipher suites all have forward secrecy and AEAD, and a client that cannot speak it is refused
    /// at the handshake rather than served over an older protocol.
    /// </summary>
    public const SslProtocols Protocols = SslProtocols.Tls13;

    public static IHostApplicationBuilder AddGatewayHttps(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayHttpsOptions.SectionName).Get<GatewayHttpsOptions>();
        if (options?.Port is not { } port) return builder;

        // Read at start, so that a wrong path or password stops the gateway instead of failing every handshake.
        var certificate = LoadCertificate(options);
        var endpoint = new IPEndPoint(IPAddress.Parse(options.Address), port);
        builder.Services.AddTransient<IStartupFilter>(sp => new OwnEndpoints(
            sp.GetRequiredService<IServer>(), sp.GetRequiredService<IOptions<KestrelServerOptions>>().Value, endpoint, certificate));
        return builder;
    }

    /// <summary>
    /// Sets the endpoints just before the server binds (startup filters run after the host has read its URLs, before
    /// Kestrel starts): the loopback HTTP ones among the host's URLs, kept for local tools and health probes, then the
    /// TLS listener. Explicit endpoints win over URLs, also for a host that prefers its URLs (<c>preferHostingUrls</c>,
    /// which WebApplicationFactory sets): otherwise the TLS listener would be dropped without a word.
    /// </summary>
    private sealed class OwnEndpoints(IServer server, KestrelServerOptions kestrel, IPEndPoint https, X509Certificate2 certificate) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            var addresses = server.Features.Get<IServerAddressesFeature>();
            foreach (var plain in LoopbackHttpEndpoints(addresses?.Addresses ?? [])) kestrel.Listen(plain);
            kestrel.Listen(https, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    SslProtocols = Protocols,
                    ClientCertificateMode = ClientCertificateMode.NoCertificate,
                });
            });
            if (addresses is not null) addresses.PreferHostingUrls = false;
            return next;
        }
    }

    private static X509Certificate2 LoadCertificate(GatewayHttpsOptions options)
    {
        var path = options.CertificatePath ?? throw new InvalidOperationException("Gateway:Https:CertificatePath is required with Gateway:Https:Port.");
        var isPem = options.KeyPath is not null || File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        if (!isPem) return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        return string.IsNullOrEmpty(options.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.KeyPath);
    }

    /// <summary>The http:// loopback endpoints among <c>urls</c>; anything else is refused, since HTTPS is on.</summary>
    private static List<IPEndPoint> LoopbackHttpEndpoints(IEnumerable<string> urls)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
                throw new InvalidOperationException($"With Gateway:Https on, urls may only hold loopback http:// addresses; {url} is not one.");
            IPAddress? ip = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) && IPAddress.IsLoopback(parsed) ? parsed : null;
            if (ip is null)
                throw new InvalidOperationException($"With Gateway:Https on, plain HTTP stays on loopback only; {url} is not a loopback address.");
            endpoints.Add(new IPEndPoint(ip, uri.Port));
        }
        return endpoints;
    }
}
