using System.Security.Cryptography;

namespace Gosuslugi.Health.ServiceDefaults.Hsm;

/// <summary>
/// The DER DigestInfo of PKCS#1 v1.5 signatures (RFC 8017 §9.2): an HSM signs it with CKM_RSA_PKCS when the hash was
/// computed outside, as .NET's <see cref="RSA.SignHash(byte[], HashAlgorithmName, RSASignaturePadding)"/> hands it.
/// </summary>
internal static class DigestInfo
{
    private static readonly byte[] Sha256 = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
    private static readonly byte[] Sha384 = [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
    private static readonly byte[] Sha512 = [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

    public static byte[] Encode(ReadOnlySpan<byte> hash, HashAlgorithmName algorithm)
    {
        var prefix = algorithm.Name switch
        {
            "SHA256" => Sha256,
            "SHA384" => Sha384,
            "SHA512" => Sha512,
            _ => throw new CryptographicException($"Hash algorithm {algorithm.Name} is not supported for HSM signatures."),
        };
        if (hash.Length != prefix[^1]) throw new CryptographicException($"A {algorithm.Name} hash has {prefix[^1]} bytes, not {hash.Length}.");
        return [.. prefix, .. hash];
    }
}
