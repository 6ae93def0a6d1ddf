using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>What the API accepts as a certificate or a key, and how it names certificates.</summary>
public static class CertificateFormats
{
    /// <summary>SHA-256 of the DER certificate, upper-case hex: the thumbprint this API shows (SHA-1 is not used).</summary>
    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>A certificate given as base64 DER or PEM text; null when it is neither or not a certificate.</summary>
    public static X509Certificate2? ParseCertificate(string? text)
    {
        if (Decode(text, "CERTIFICATE") is not { } der) return null;
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>PEM with the given label, or plain base64 (DER); null when it is neither.</summary>
    public static byte[]? Decode(string? text, string pemLabel)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            if (!PemEncoding.TryFind(trimmed, out var fields)) return null;
            if (!trimmed.AsSpan(fields.Label).SequenceEqual(pemLabel)) return null;
            trimmed = trimmed[fields.Base64Data];
        }
        try
        {
            return Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Pem(string label, byte[] der) => new(PemEncoding.Write(label, der));

    /// <summary>The serial number as the CRL and the CA's table write it: upper-case hex without separators.</summary>
    public static string Serial(ReadOnlySpan<byte> bigEndian) => Convert.ToHexString(bigEndian);

    /// <summary>
    /// The public key (SubjectPublicKeyInfo, DER) of a PKCS#10 request whose own signature holds (it proves possession
    /// of the private key), or of a bare SubjectPublicKeyInfo; null when it is neither.
    /// </summary>
    public static byte[]? PublicKeyOf(string? csr, string? publicKey)
    {
        if (csr is not null)
        {
            if (Decode(csr, "CERTIFICATE REQUEST") is not { } der) return null;
            try
            {
                var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256,
                    CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
                return request.PublicKey.ExportSubjectPublicKeyInfo();
            }
            catch (CryptographicException)
            {
                return null;
            }
        }
        return Decode(publicKey, "PUBLIC KEY");
    }
}
