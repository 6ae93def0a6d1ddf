using System.Text.Json;
using System.Text.Json.Serialization;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// One measured value of a lab or diagnostic result (FHIR Observation), kept in its own row so that a patient's series
/// of one analyte over years is one index range scan. What it says is one sealed <see cref="Content"/>: a trend point
/// costs one decryption, and what the queries filter and order on (code, flag, time) stays in clear.
/// </summary>
public sealed class Observation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The result (record item version) it belongs to.</summary>
    public Guid ItemId { get; init; }

    public Guid PatientId { get; init; }

    /// <summary>Mirrors the item's <see cref="RecordItem.IsCurrent"/>: a corrected result's old values leave trends.</summary>
    public bool IsCurrent { get; set; } = true;

    /// <summary>Analyte code (LOINC or the organization's lab code), e.g. "718-7".</summary>
    public required string AnalyteCode { get; init; }

    /// <summary>The name, value, reference range and comment (<see cref="ObservationContent"/>), sealed.</summary>
    public required Sealed Content { get; init; }

    public string? Unit { get; init; }

    /// <summary>One of <see cref="Interpretations"/>.</summary>
    public required string Interpretation { get; init; }

    /// <summary>When the sample was taken (FHIR effectiveDateTime).</summary>
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>Order within its result, as sent.</summary>
    public int Position { get; init; }
}

/// <summary>What an <see cref="Observation"/> says, as sealed in its <see cref="Observation.Content"/>.</summary>
/// <param name="Value">Numeric value (FHIR valueQuantity); null for a text result.</param>
/// <param name="ValueText">Text value (valueString / valueCodeableConcept) when the result is not a number.</param>
/// <param name="ReferenceText">Reference range as text when it is not numeric ("отрицательно").</param>
public sealed record ObservationContent(
    string AnalyteName,
    decimal? Value,
    string? ValueText,
    decimal? ReferenceLow,
    decimal? ReferenceHigh,
    string? ReferenceText,
    string? Comment)
{
    public Sealed SealWith(PatientCipher cipher) =>
        cipher.Seal(JsonSerializer.SerializeToUtf8Bytes(this, ObservationContentJson.Default.ObservationContent));

    // Source-generated: a 10-year trend opens a thousand of these per request.
    public static ObservationContent Open(PatientCipher cipher, Sealed content) =>
        JsonSerializer.Deserialize(cipher.Open(content), ObservationContentJson.Default.ObservationContent)
        ?? throw new PatientDataUnreadableException("An observation's sealed content is empty.");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ObservationContent))]
internal sealed partial class ObservationContentJson : JsonSerializerContext;

/// <summary>Result flags; stable API values (FHIR v3 ObservationInterpretation N, L, H, LL/HH/AA → critical, A → abnormal).</summary>
public static class Interpretations
{
    public const string Normal = "normal";
    public const string Low = "low";
    public const string High = "high";
    public const string Critical = "critical";
    public const string Abnormal = "abnormal";
    public const string Unknown = "unknown";

    public static bool IsAbnormal(string interpretation) => interpretation is Low or High or Critical or Abnormal;
}
