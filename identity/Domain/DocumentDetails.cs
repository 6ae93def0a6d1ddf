using System.Text.Json;
using System.Text.Json.Serialization;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// A passport of a citizen of the Russian Federation as sealed in <see cref="HealthUser.Passport"/>: series (4 digits),
/// number (6 digits) and the date of issue. One sealed value for the whole document: it is always read and changed whole.
/// </summary>
public sealed record PassportDetails(string Series, string Number, DateOnly? IssuedOn)
{
    public Sealed SealWith(PatientCipher cipher) =>
        cipher.Seal(JsonSerializer.SerializeToUtf8Bytes(this, DocumentDetailsJson.Default.PassportDetails));

    public static PassportDetails Open(PatientCipher cipher, Sealed value) =>
        JsonSerializer.Deserialize(cipher.Open(value), DocumentDetailsJson.Default.PassportDetails)
        ?? throw new PatientDataUnreadableException($"The sealed passport of person {cipher.PatientId} is empty.");
}

/// <summary>
/// An OMS (compulsory medical insurance) policy as sealed in <see cref="HealthUser.OmsPolicy"/>: the 16-digit number,
/// the insurer and the validity dates. The number is also kept as a blind index (<see cref="HealthUser.OmsPolicyNumberIndex"/>)
/// for the uniqueness check.
/// </summary>
public sealed record OmsPolicyDetails(string Number, string? Insurer, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public Sealed SealWith(PatientCipher cipher) =>
        cipher.Seal(JsonSerializer.SerializeToUtf8Bytes(this, DocumentDetailsJson.Default.OmsPolicyDetails));

    public static OmsPolicyDetails Open(PatientCipher cipher, Sealed value) =>
        JsonSerializer.Deserialize(cipher.Open(value), DocumentDetailsJson.Default.OmsPolicyDetails)
        ?? throw new PatientDataUnreadableException($"The sealed OMS policy of person {cipher.PatientId} is empty.");
}

/// <summary>A person's documents once opened: what the profile shows and what a change is compared with.</summary>
public sealed record OpenedDocuments(PassportDetails? Passport, OmsPolicyDetails? OmsPolicy)
{
    public static readonly OpenedDocuments None = new(null, null);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PassportDetails))]
[JsonSerializable(typeof(OmsPolicyDetails))]
internal sealed partial class DocumentDetailsJson : JsonSerializerContext;
