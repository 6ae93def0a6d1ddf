using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>The structured dose of a prescription (FHIR dosageInstruction.doseAndRate and timing.repeat).</summary>
public sealed record StructuredDose(decimal? Value, string? Unit, int? Frequency, decimal? Period, string? PeriodUnit);

/// <summary>A preferential (reimbursed) program the prescription is issued under.</summary>
public sealed record ReimbursementProgram(string? Code, string Name);

/// <summary>
/// The medical content of a prescription: what, how much, how to take it, who prescribed. Stored sealed with the
/// patient's data key as one value; only quantities, dates and statuses stay in clear for the queries that need them.
/// </summary>
public sealed record PrescriptionContent(
    string? MedicationCode,
    string MedicationName,
    string DosageText,
    StructuredDose? Dose,
    string? QuantityUnit,
    string DoctorName,
    string? DoctorId,
    ReimbursementProgram? Program,
    string? Note)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    public Sealed SealWith(PatientCipher cipher) => cipher.Seal(ToUtf8());

    public static PrescriptionContent Open(PatientCipher cipher, Sealed value) =>
        JsonSerializer.Deserialize<PrescriptionContent>(cipher.Open(value), Options)
        ?? throw new PatientDataUnreadableException($"A prescription of patient {cipher.PatientId} has empty content.");
}
