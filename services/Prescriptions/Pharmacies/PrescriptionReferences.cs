using System.Buffers.Text;
using System.Security.Cryptography;
using Gosuslugi.Health.ServiceDefaults.Hsm;

namespace Gosuslugi.Health.Prescriptions.Pharmacies;

/// <summary>
/// The content of a prescription's QR code: "RX1." + the prescription id + an HMAC-SHA256 of it computed inside the
/// service's HSM, base64url. No personal data; the id alone opens nothing (a pharmacy must present the whole reference),
/// and a reference cannot be made up or altered without the HSM's key.
/// </summary>
public sealed class PrescriptionReferences(Pkcs11Hsm hsm)
{
    public const string KeyLabel = "prescription-reference-mac";
    private const string Prefix = "RX1.";
    private const int MacBytes = 16;

    private volatile bool _keyReady;

    public string Create(Guid prescriptionId)
    {
        var id = prescriptionId.ToByteArray(bigEndian: true);
        return Prefix + Base64Url.EncodeToString([.. id, .. Mac(id)]);
    }

    /// <summary>The prescription a reference names, or null when it is not one this service signed.</summary>
    public Guid? Verify(string? reference)
    {
        if (reference is null || !reference.StartsWith(Prefix, StringComparison.Ordinal) || reference.Length > 64) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(reference.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length != 16 + MacBytes) return null;
        var id = bytes.AsSpan(0, 16).ToArray();
        return CryptographicOperations.FixedTimeEquals(Mac(id), bytes.AsSpan(16)) ? new Guid(id, bigEndian: true) : null;
    }

    private byte[] Mac(byte[] id)
    {
        if (!_keyReady)
        {
            hsm.EnsureHmacKey(KeyLabel);
            _keyReady = true;
        }
        return hsm.HmacSha256(KeyLabel, id)[..MacBytes];
    }
}
