using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>A gateway with <c>Gateway:Https</c>: a self-signed certificate for 127.0.0.1 in a PKCS#12 file of the test's own.</summary>
public sealed class HttpsGatewayFixture : GatewayFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-tls-").FullName;

    public int HttpsPort { get; } = FreePort();
    public X509Certificate2 Certificate { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(_folder, "gateway.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return new Dictionary<string, string?>
        {
            ["Gateway:Https:Port"] = HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Https:CertificatePath"] = path,
            ["Gateway:Https:CertificatePassword"] = password,
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class TlsTests(HttpsGatewayFixture fixture) : IClassFixture<HttpsGatewayFixture>
{
    [Fact]
    public async Task The_https_gateway_negotiates_tls_1_3_and_serves_requests_over_it()
    {
        using (var tls = await HandshakeAsync(SslProtocols.Tls12 | SslProtocols.Tls13))
        {
            tls.SslProtocol.ShouldBe(SslProtocols.Tls13);
        }

        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetRawCertData().SequenceEqual(fixture.Certificate.RawData) == true;
        using var https = new HttpClient(handler);
        using var live = await https.GetAsync($"https://127.0.0.1:{fixture.HttpsPort}/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var proxied = await https.GetAsync($"https://127.0.0.1:{fixture.HttpsPort}/.well-known/jwks.json");
        (await GatewayFixture.EchoOf(proxied)).Service.ShouldBe("identity");
    }

    [Fact]
    public async Task A_client_that_speaks_only_tls_1_2_is_refused_at_the_handshake()
    {
        var refused = await Should.ThrowAsync<Exception>(() => HandshakeAsync(SslProtocols.Tls12));
        refused.ShouldBeAssignableTo<AuthenticationException>(refused.ToString());
    }

    [Fact]
    public async Task Plain_http_stays_on_loopback()
    {
        fixture.Gateway.Address.Scheme.ShouldBe("http");
        using var live = await fixture.GetAsync("/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<SslStream> HandshakeAsync(SslProtocols protocols)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.HttpsPort);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetRawCertData().SequenceEqual(fixture.Certificate.RawData) == true,
            });
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }
}
