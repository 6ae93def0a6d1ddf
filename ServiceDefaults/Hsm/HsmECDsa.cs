using System.Security.Cryptography;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>
/// An ECDSA P-256 key whose private half lives in the HSM: signing happens inside it, verification and the public
/// point are local. Being an <see cref="ECDsa"/>, it signs wherever .NET takes one (ECDsaSecurityKey for ES256 JWTs).
/// </summary>
public sealed class HsmECDsa : ECDsa
{
    private readonly Pkcs11Hsm _hsm;
    private readonly ECDsa _public;

    internal HsmECDsa(Pkcs11Hsm hsm, string label, ECParameters publicKey)
    {
        _hsm = hsm;
        Label = label;
        _public = Create(publicKey);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The key pair's CKA_LABEL in the HSM.</summary>
    public string Label { get; }

    public override ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key never leaves the HSM.")
            : _public.ExportParameters(false);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key never leaves the HSM.")
            : _public.ExportExplicitParameters(false);

    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("An HSM key is generated inside the HSM, not imported.");

    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("An HSM key is generated inside the HSM.");

    public override byte[] SignHash(byte[] hash) => _hsm.SignEcdsa(Label, hash);

    public override bool VerifyHash(byte[] hash, byte[] signature) => _public.VerifyHash(hash, signature);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _public.Dispose();
        base.Dispose(disposing);
    }
}
