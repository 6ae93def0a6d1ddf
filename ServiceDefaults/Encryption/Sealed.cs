namespace Gosuslugi.Health.ServiceDefaults.Encryption;

/// <summary>
/// A value stored encrypted with its patient's data key (AES-256-GCM): what a column of medical content holds. It has
/// no way to show its content; only the patient's <see cref="PatientCipher"/> opens it, so code cannot read or store
/// clear medical text by mistake. Mapped to <c>bytea</c> by <see cref="PatientDataEncryptionModel"/>.
/// </summary>
public sealed class Sealed
{
    internal Sealed(byte[] bytes) => Bytes = bytes;

    /// <summary>A value as its column holds it (for the model's converter); not a way to seal.</summary>
    public static Sealed FromDatabase(byte[] bytes) => new(bytes);

    /// <summary>Version byte, 96-bit nonce, 128-bit tag, ciphertext (see <see cref="PatientCipher"/>).</summary>
    public byte[] Bytes { get; }

    public override string ToString() => $"(sealed, {Bytes.Length} bytes)";
}
