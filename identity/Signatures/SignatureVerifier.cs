using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>Why a signature was refused; <see cref="None"/> when it was accepted.</summary>
public enum SignatureFailure { None, Malformed, BadSignature, NotYetValid, Expired, Untrusted, Revoked, RevocationUnknown }

/// <summary>The outcome of checking a detached CMS signature: the signer's certificate whenever it could be read.</summary>
public sealed record SignatureCheck(SignatureFailure Failure, X509Certificate2? Certificate, DateTimeOffset? SigningTime)
{
    public bool Succeeded => Failure == SignatureFailure.None;

    public static SignatureFailure FailureOf(CertificateCheck check) => check switch
    {
        CertificateCheck.Valid => SignatureFailure.None,
        CertificateCheck.NotYetValid => SignatureFailure.NotYetValid,
        CertificateCheck.Expired => SignatureFailure.Expired,
        CertificateCheck.Revoked => SignatureFailure.Revoked,
        CertificateCheck.RevocationUnknown => SignatureFailure.RevocationUnknown,
        _ => SignatureFailure.Untrusted,
    };

    /// <summary>The machine-readable reason of problems and security events.</summary>
    public string Reason => Failure switch
    {
        SignatureFailure.None => "valid",
        SignatureFailure.Malformed => "signature_malformed",
        SignatureFailure.BadSignature => "signature_invalid",
        SignatureFailure.NotYetValid => "certificate_not_yet_valid",
        SignatureFailure.Expired => "certificate_expired",
        SignatureFailure.Untrusted => "certificate_untrusted",
        SignatureFailure.Revoked => "certificate_revoked",
        SignatureFailure.RevocationUnknown => "certificate_revocation_unknown",
        _ => "unknown",
    };
}

/// <summary>
/// Checks a detached CMS/PKCS#7 signature (SignedCms, RFC 5652) over a payload: one signer, whose certificate travels
/// in the signature, a signature that matches the payload, and a certificate that <see cref="CertificateValidator"/>
/// accepts now.
/// </summary>
public sealed class SignatureVerifier(CertificateValidator certificates)
{
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    public async Task<SignatureCheck> VerifyAsync(byte[] payload, byte[] signature, CancellationToken ct)
    {
        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException)
        {
            return new SignatureCheck(SignatureFailure.Malformed, null, null);
        }
        if (cms.SignerInfos.Count != 1 || cms.SignerInfos[0].Certificate is not { } certificate)
            return new SignatureCheck(SignatureFailure.Malformed, null, null);

        var signer = cms.SignerInfos[0];
        var signingTime = SigningTime(signer);
        try
        {
            // The signature only: the certificate is judged below by our own trust anchors and revocation rules.
            signer.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            return new SignatureCheck(SignatureFailure.BadSignature, certificate, signingTime);
        }

        var extra = new X509Certificate2Collection();
        foreach (var other in cms.Certificates)
            if (!other.RawData.AsSpan().SequenceEqual(certificate.RawData)) extra.Add(other);
        var check = await certificates.CheckAsync(certificate, extra, ct);
        return new SignatureCheck(SignatureCheck.FailureOf(check), certificate, signingTime);
    }

    private static DateTimeOffset? SigningTime(SignerInfo signer)
    {
        foreach (var attribute in signer.SignedAttributes)
        {
            if (attribute.Oid.Value != SigningTimeOid || attribute.Values.Count == 0) continue;
            var value = attribute.Values[0];
            return (value as Pkcs9SigningTime ?? new Pkcs9SigningTime(value.RawData)).SigningTime.ToUniversalTime();
        }
        return null;
    }
}
