using System.Text.Json;

namespace Gosuslugi.Health.Records.Domain;

// What RecordItem.Details holds for each kind (JSON, camelCase). Ingestion writes these from FHIR resources; the
// patient's and doctor's reads and the exports read them. Observations of results live in their own table.

public sealed record Diagnosis(string Code, string Name, bool Primary);

public sealed record DocumentSection(string Title, string Text);

/// <param name="VisitKind">consultation, examination, treatment, hospitalization or telemedicine.</param>
public sealed record VisitDetails(
    string VisitKind,
    IReadOnlyList<Diagnosis> Diagnoses,
    string? Conclusion,
    DateTimeOffset? EndedAt);

/// <param name="Category">laboratory, imaging, functional, ... (FHIR DiagnosticReport.category).</param>
/// <param name="Code">The study's code (LOINC or the lab's own).</param>
public sealed record ResultDetails(
    string Category,
    string? Code,
    string? Conclusion,
    string? Comment,
    DateTimeOffset? IssuedAt);

/// <summary>An exam protocol or a discharge summary.</summary>
public sealed record DocumentDetails(
    IReadOnlyList<DocumentSection> Sections,
    IReadOnlyList<Diagnosis> Diagnoses,
    string? Findings,
    string? Prescriptions,
    string? Recommendations,
    string? FollowUp,
    DateTimeOffset? AdmittedAt,
    DateTimeOffset? DischargedAt);

public sealed record PreventiveExamStep(string Name, string? Result, DateOnly? DoneOn);

/// <param name="Program">dispanserization (диспансеризация) or prof_exam (профилактический медицинский осмотр).</param>
/// <param name="Stage">1 or 2 (диспансеризация has two stages).</param>
/// <param name="ExamStatus">planned, in_progress, done or cancelled.</param>
/// <param name="HealthGroup">I, II, IIIa or IIIb once done.</param>
public sealed record PreventiveExamDetails(
    string Program,
    int? Stage,
    string ExamStatus,
    DateOnly? PlannedOn,
    DateOnly? CompletedOn,
    string? HealthGroup,
    IReadOnlyList<PreventiveExamStep> Steps,
    string? Recommendations);

public static class RecordDetails
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T details) => JsonSerializer.Serialize(details, Json);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)
        ?? throw new JsonException($"Record details are not a {typeof(T).Name}.");
}
