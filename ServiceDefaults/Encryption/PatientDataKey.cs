namespace Gosuslugi.Health.ServiceDefaults.Encryption;

/// <summary>
/// A patient's data key in one service's database: 256 random bits wrapped (AES-256-GCM inside the HSM) by the
/// service's key-encryption key, bound to the patient by the wrap's associated data. Never stored in clear.
/// </summary>
public sealed class PatientDataKey
{
    public Guid PatientId { get; init; }

    /// <summary>The HSM key that wrapped it (a later key-encryption key may rewrap).</summary>
    public required string WrappedBy { get; init; }

    public required byte[] WrappedKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A database that keeps patients' data keys (<see cref="PatientDataEncryptionModel.AddPatientDataKeys"/>).</summary>
public interface IPatientDataKeyStore
{
    Microsoft.EntityFrameworkCore.DbSet<PatientDataKey> PatientDataKeys { get; }
}

/// <summary>
/// Stored medical data that cannot be opened: its patient's data key is missing, cannot be unwrapped (another HSM or
/// key-encryption key) or does not fit the value (changed bytes, another patient's key). Answered as 503 and never
/// replaced by made-up content.
/// </summary>
public sealed class PatientDataUnreadableException(string message, Exception? inner = null) : Exception(message, inner);
