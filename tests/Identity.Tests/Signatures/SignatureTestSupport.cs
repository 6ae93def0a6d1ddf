using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Gosuslugi.Health.Identity.Signatures;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Signatures;

/// <summary>What a person's signing tool does in these tests: holds a key, gets a certificate for it, signs (detached CMS).</summary>
public static class SignatureTestSupport
{
    public const string CertificatesPath = CertificatesApi.AccountPath;

    /// <summary>A person's key with a certificate the service's local CA issued for it (through the CA's own code).</summary>
    public static async Task<X509Certificate2> IssueAsync(IdentityServiceFixture fixture, Guid accountId,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var result = await fixture.WithScopeAsync(sp => sp.GetRequiredService<LocalCertificateAuthority>()
            .IssueAsync(accountId, key.ExportSubjectPublicKeyInfo(), issuedBy: null, notBefore, notAfter, CancellationToken.None));
        result.Outcome.ShouldBe(IssueOutcome.Issued);
        using var certificate = X509CertificateLoader.LoadCertificate(result.Certificate!.Certificate);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A certificate authority of nobody's trust, with a certificate for the same person (same name and SNILS).</summary>
    public static X509Certificate2 FromForeignCa(string familyName, string givenName, string snils)
    {
        using var caKey = RSA.Create(2048);
        var caName = new X500DistinguishedName("CN=Gosuslugi.Health Test CA (development only), O=Gosuslugi.Health, C=RU");
        var caRequest = new CertificateRequest(caName, caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest(QualifiedSubject.Build(familyName, givenName, null, snils), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(16));
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A detached CMS (PKCS#7) signature of <paramref name="payload"/> carrying the signer's certificate.</summary>
    public static byte[] Sign(byte[] payload, X509Certificate2 signer)
    {
        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer) { IncludeOption = X509IncludeOption.EndCertOnly };
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(DateTime.UtcNow));
        cms.ComputeSignature(cmsSigner);
        return cms.Encode();
    }

    public static JsonContent LinkBody(X509Certificate2 certificate) =>
        JsonContent.Create(new { certificate = certificate.ExportCertificatePem() });
}
