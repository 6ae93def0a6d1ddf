using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>The result of checking a certificate; every value but <see cref="Valid"/> is a refusal.</summary>
public enum CertificateCheck { Valid, NotYetValid, Expired, Untrusted, Revoked, RevocationUnknown }

/// <summary>
/// Checks a signer's certificate at the moment of use, every time: its dates, a chain to a trusted CA (the configured
/// trust anchors and, in development, the local CA) and revocation (the local CA's CRL; other CAs' CRLs from the
/// certificates' distribution points).
/// </summary>
public sealed class CertificateValidator(
    LocalCertificateAuthority localCa,
    IOptions<SignatureOptions> options,
    TimeProvider time,
    ILogger<CertificateValidator> logger)
{
    private X509Certificate2Collection? _configuredAnchors;

    /// <param name="extraCertificates">Intermediate certificates that came with a signature; never trusted by themselves.</param>
    public async Task<CertificateCheck> CheckAsync(X509Certificate2 certificate, X509Certificate2Collection? extraCertificates, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime()) return CertificateCheck.NotYetValid;
        if (now > certificate.NotAfter.ToUniversalTime()) return CertificateCheck.Expired;
        if (!IsForSigningByPerson(certificate)) return CertificateCheck.Untrusted;

        var anchors = new X509Certificate2Collection(ConfiguredAnchors());
        X509Certificate2? local = null;
        if (localCa.Enabled)
        {
            local = (await localCa.EnsureAsync(ct)).Certificate;
            anchors.Add(local);
        }
        if (anchors.Count == 0)
        {
            logger.LogWarning("No trust anchor is configured (Identity:Signatures:TrustAnchors) and the local CA is off: every certificate is refused");
            return CertificateCheck.Untrusted;
        }

        using var chain = NewChain(anchors, extraCertificates, now, X509RevocationMode.NoCheck);
        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
            logger.LogInformation("Certificate {Serial} refused: {Statuses}", certificate.SerialNumber, string.Join(", ", statuses));
            // The person's own certificate's dates were checked above: a time error here is the CA's.
            return statuses.Contains(X509ChainStatusFlags.NotTimeValid) ? CertificateCheck.Expired : CertificateCheck.Untrusted;
        }

        var root = chain.ChainElements[^1].Certificate;
        if (local is not null && root.RawData.AsSpan().SequenceEqual(local.RawData))
        {
            // Our own CA: the CRL it serves, read here rather than fetched from our own address.
            return await localCa.IsRevokedAsync(certificate, ct) ? CertificateCheck.Revoked : CertificateCheck.Valid;
        }

        // An accredited CA: its CRLs, from the distribution points in the certificates, fetched (and cached) by the platform.
        using var online = NewChain(anchors, extraCertificates, now, X509RevocationMode.Online);
        if (online.Build(certificate)) return CertificateCheck.Valid;
        var revocation = online.ChainStatus.Select(s => s.Status).ToList();
        if (revocation.Contains(X509ChainStatusFlags.Revoked)) return CertificateCheck.Revoked;
        if (revocation.Contains(X509ChainStatusFlags.RevocationStatusUnknown) || revocation.Contains(X509ChainStatusFlags.OfflineRevocation))
            return CertificateCheck.RevocationUnknown;
        return CertificateCheck.Untrusted;
    }

    /// <summary>The trust anchors as a chain names them: the configured roots and the local CA when it is on.</summary>
    public async Task<IReadOnlyList<X509Certificate2>> TrustAnchorsAsync(CancellationToken ct)
    {
        var anchors = ConfiguredAnchors().Cast<X509Certificate2>().ToList();
        if (localCa.Enabled) anchors.Add((await localCa.EnsureAsync(ct)).Certificate);
        return anchors;
    }

    /// <summary>A person's signing certificate: not a CA, and (when it says) meant for signatures.</summary>
    private static bool IsForSigningByPerson(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509BasicConstraintsExtension { CertificateAuthority: true }) return false;
            if (extension is X509KeyUsageExtension usage &&
                (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0) return false;
        }
        return true;
    }

    private static X509Chain NewChain(X509Certificate2Collection anchors, X509Certificate2Collection? extra, DateTimeOffset now, X509RevocationMode revocation)
    {
        var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors);
        if (extra is not null) policy.ExtraStore.AddRange(extra);
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.RevocationMode = revocation;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        policy.UrlRetrievalTimeout = TimeSpan.FromSeconds(10);
        policy.DisableCertificateDownloads = true;
        return chain;
    }

    private X509Certificate2Collection ConfiguredAnchors()
    {
        if (_configuredAnchors is { } loaded) return loaded;
        var anchors = new X509Certificate2Collection();
        foreach (var path in options.Value.TrustAnchors)
        {
            // A PEM file may hold several roots; a DER file holds one.
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) anchors.ImportFromPem(text);
            else anchors.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        return _configuredAnchors = anchors;
    }
}
