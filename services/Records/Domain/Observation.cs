namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// One measured value of a lab or diagnostic result (FHIR Observation), kept in its own row so that a patient's series
/// of one analyte over years is one index range scan.
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

    public required string AnalyteName { get; init; }

    /// <summary>Numeric value (FHIR valueQuantity); null for a text result.</summary>
    public decimal? Value { get; init; }

    /// <summary>Text value (valueString / valueCodeableConcept) when the result is not a number.</summary>
    public string? ValueText { get; init; }

    public string? Unit { get; init; }

    public decimal? ReferenceLow { get; init; }

    public decimal? ReferenceHigh { get; init; }

    /// <summary>Reference range as text when it is not numeric ("отрицательно").</summary>
    public string? ReferenceText { get; init; }

    /// <summary>One of <see cref="Interpretations"/>.</summary>
    public required string Interpretation { get; init; }

    public string? Comment { get; init; }

    /// <summary>When the sample was taken (FHIR effectiveDateTime).</summary>
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>Order within its result, as sent.</summary>
    public int Position { get; init; }
}

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
