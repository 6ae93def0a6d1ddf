using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// A FHIR resource mapped to what Records stores, before the patient is resolved: the same resource always maps to
/// the same value, so its <see cref="ContentHashing"/> recognises a resend.
/// </summary>
/// <param name="Details">Details JSON (one of the shapes of <see cref="RecordDetails"/>).</param>
/// <param name="CorrectionReason">Why the organization corrects an item it published before; not part of the content.</param>
public sealed record IngestedItem(
    string ResourceType,
    string Kind,
    string ExternalId,
    string Snils,
    string Status,
    string Title,
    DateTimeOffset EffectiveAt,
    string? DepartmentName,
    string? DoctorId,
    string? DoctorName,
    string? Specialty,
    IReadOnlyList<Diagnosis> Diagnoses,
    string Details,
    IReadOnlyList<IngestedObservation> Observations,
    IngestedDocument? Document,
    string? CorrectionReason);

public sealed record IngestedObservation(
    string AnalyteCode,
    string AnalyteName,
    decimal? Value,
    string? ValueText,
    string? Unit,
    decimal? ReferenceLow,
    decimal? ReferenceHigh,
    string? ReferenceText,
    string Interpretation,
    string? Comment,
    DateTimeOffset TakenAt);

public sealed record IngestedDocument(string ContentType, string FileName, byte[] Content, string Sha256);
