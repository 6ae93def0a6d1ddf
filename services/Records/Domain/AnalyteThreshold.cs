namespace Gosuslugi.Health.Records.Domain;

/// <summary>The patient's own limits for an analyte: a new result outside them is announced (LabThresholdCrossed).</summary>
public sealed class AnalyteThreshold
{
    public Guid PatientId { get; init; }

    public required string AnalyteCode { get; init; }

    public decimal? Low { get; set; }

    public decimal? High { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
