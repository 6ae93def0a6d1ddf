using System.Security.Cryptography;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>
/// An RSA key whose private half lives in the HSM: signing happens inside it, verification and the public parameters
/// are local. Being an <see cref="RSA"/>, it signs wherever .NET takes one: JWTs (RsaSecurityKey), X.509 certificates
/// (CertificateRequest), CMS.
/// </summary>
public sealed class HsmRsa : RSA
{
    private readonly Pkcs11Hsm _hsm;
    private readonly RSA _public;

    internal HsmRsa(Pkcs11Hsm hsm, string label, RSAParameters publicKey)
    {
        _hsm = hsm;
        Label = label;
        _public = Create(publicKey);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The key pair's CKA_LABEL in the HSM.</summary>
    public string Label { get; }

    public override RSAParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key never leaves the HSM.")
            : _public.ExportParameters(false);

    public override void ImportParameters(RSAParameters parameters) =>
        throw new NotSupportedException("An HSM key is generated inside the HSM, not imported.");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        if (padding != RSASignaturePadding.Pkcs1) throw new CryptographicException("HSM keys sign with PKCS#1 v1.5 padding (RS256).");
        return _hsm.SignRsaPkcs1(Label, DigestInfo.Encode(hash, hashAlgorithm));
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _public.VerifyHash(hash, signature, hashAlgorithm, padding);

    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding) =>
        throw new NotSupportedException("HSM signing keys do not decrypt.");

    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _public.Encrypt(data, padding);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _public.Dispose();
        base.Dispose(disposing);
    }
}
