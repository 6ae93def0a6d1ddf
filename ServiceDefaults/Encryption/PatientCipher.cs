using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gosuslugi.Health.ServiceDefaults.Encryption;

/// <summary>
/// AES-256-GCM with one patient's data key. A sealed value is a version byte, a fresh 96-bit nonce, the 128-bit tag and
/// the ciphertext; the patient's id is the associated data, so a value moved to another patient's row does not open.
/// </summary>
public sealed class PatientCipher
{
    private const byte FormatVersion = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + NonceBytes + TagBytes;

    private readonly byte[]? _key;
    private readonly byte[] _associatedData;
    // One AesGcm kept for reuse: a trend or an export opens thousands of values of one patient in a row, and a new
    // AesGcm per value (a key schedule in OpenSSL) cost more than the decryption itself. Not safe for concurrent use,
    // so a caller takes it out and puts it back; a concurrent caller makes its own.
    private AesGcm? _spare;

    public PatientCipher(Guid patientId, byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("A patient data key is 256 bits.", nameof(key));
        PatientId = patientId;
        _key = key;
        _associatedData = patientId.ToByteArray(bigEndian: true);
    }

    private PatientCipher(Guid patientId)
    {
        PatientId = patientId;
        _associatedData = patientId.ToByteArray(bigEndian: true);
    }

    /// <summary>For a patient who has no data key: nothing of theirs was sealed, so nothing can be opened.</summary>
    public static PatientCipher WithoutKey(Guid patientId) => new(patientId);

    public Guid PatientId { get; }

    public Sealed Seal(ReadOnlySpan<byte> plaintext)
    {
        if (_key is null) throw new InvalidOperationException($"Patient {PatientId} has no data key to seal with (PatientDataKeys.ForWritingAsync makes one).");
        var output = new byte[HeaderBytes + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent(_key);
        try
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderBytes), output.AsSpan(1 + NonceBytes, TagBytes), _associatedData);
        }
        finally
        {
            Return(aes);
        }
        return new Sealed(output);
    }

    public byte[] Open(Sealed value)
    {
        var input = value.Bytes.AsSpan();
        if (input.Length < HeaderBytes || input[0] != FormatVersion)
            throw new PatientDataUnreadableException($"A stored value of patient {PatientId} is not in the sealed format.");
        if (_key is null) throw new PatientDataUnreadableException($"Patient {PatientId} has a sealed value but no data key.");
        var plaintext = new byte[input.Length - HeaderBytes];
        var aes = Rent(_key);
        try
        {
            aes.Decrypt(input.Slice(1, NonceBytes), input[HeaderBytes..], input.Slice(1 + NonceBytes, TagBytes), plaintext, _associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new PatientDataUnreadableException(
                $"A stored value does not open with the data key of patient {PatientId}: changed, or sealed with another key.", e);
        }
        finally
        {
            Return(aes);
        }
        return plaintext;
    }

    private AesGcm Rent(byte[] key) => Interlocked.Exchange(ref _spare, null) ?? new AesGcm(key, TagBytes);

    private void Return(AesGcm aes) => Interlocked.Exchange(ref _spare, aes)?.Dispose();

    public Sealed Seal(string text) => Seal(Encoding.UTF8.GetBytes(text));

    public Sealed? SealOrNull(string? text) => text is null ? null : Seal(text);

    public string OpenText(Sealed value) => Encoding.UTF8.GetString(Open(value));

    public string? OpenTextOrNull(Sealed? value) => value is null ? null : OpenText(value);

    public Sealed? SealOrNull(decimal? number) => number is { } n ? Seal(n.ToString(CultureInfo.InvariantCulture)) : null;

    public decimal? OpenDecimalOrNull(Sealed? value) =>
        value is null ? null : decimal.Parse(OpenText(value), NumberStyles.Number, CultureInfo.InvariantCulture);
}
