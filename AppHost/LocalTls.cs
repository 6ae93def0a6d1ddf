using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gosuslugi.Health.AppHost;

/// <summary>The gateway's TLS certificate for local runs and where its files are.</summary>
/// <param name="CertificatePath">The gateway's certificate (PEM), for 127.0.0.1 and localhost.</param>
/// <param name="KeyPath">Its private key (PEM, readable by this user only).</param>
/// <param name="AuthorityPath">The local TLS authority's certificate: what a client trusts (<c>curl --cacert</c>).</param>
public sealed record LocalTlsFiles(string CertificatePath, string KeyPath, string AuthorityPath);

/// <summary>
/// A local TLS authority and the gateway's certificate from it, under <c>.data/tls</c> (git-ignored), made on the first
/// start and renewed when less than 30 days are left; production mounts a real certificate instead. The key is a
/// file, not an HSM object: Kestrel's TLS on Linux signs handshakes through OpenSSL, which cannot reach a PKCS#11
/// token here; the ЭП authority (identity, key in the HSM) only issues personal certificates.
/// </summary>
public static class LocalTls
{
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static LocalTlsFiles Prepare(string dataDirectory, DateTimeOffset now)
    {
        var folder = Directory.CreateDirectory(dataDirectory).FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = new LocalTlsFiles(Path.Combine(folder, "gateway.crt"), Path.Combine(folder, "gateway.key"), Path.Combine(folder, "ca.crt"));
        if (IsCurrent(files.CertificatePath, now) && File.Exists(files.KeyPath) && File.Exists(files.AuthorityPath)) return files;

        using var authority = LoadOrCreateAuthority(folder, now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Gosuslugi.Health gateway (local)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var certificate = request.Create(authority, now.AddMinutes(-5), now + CertificateLifetime, RandomNumberGenerator.GetBytes(16));
        WritePrivate(files.KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(files.CertificatePath, certificate.ExportCertificatePem() + "\n" + authority.ExportCertificatePem() + "\n");
        return files;
    }

    private static bool IsCurrent(string certificatePath, DateTimeOffset now)
    {
        if (!File.Exists(certificatePath)) return false;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The authority (ten years) with its private key; made once, so that a client trusts it across renewals.</summary>
    private static X509Certificate2 LoadOrCreateAuthority(string folder, DateTimeOffset now)
    {
        var certificatePath = Path.Combine(folder, "ca.crt");
        var keyPath = Path.Combine(folder, "ca.key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > CertificateLifetime) return existing;
            existing.Dispose();
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Gosuslugi.Health local TLS authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var authority = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, authority.ExportCertificatePem() + "\n");
        return authority;
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, content);
    }
}
