namespace Gosuslugi.Health.Contracts.Records;

/// <summary>
/// A medical organization published an item of a patient's record (a visit, a result, a protocol, a discharge
/// summary, a preventive exam), or a corrected version of one. Notifications tells the patient ("new result",
/// "new document"); the patient reads the item itself from Records.
/// </summary>
/// <param name="ItemId">The version's id in Records (a correction has a new id; <paramref name="RecordId"/> stays).</param>
/// <param name="RecordId">The id shared by every version of the item.</param>
/// <param name="Kind">One of <see cref="RecordItemKinds"/>.</param>
/// <param name="Title">What the patient sees in the history, in Russian ("Общий анализ крови").</param>
/// <param name="Version">1 for the first version; higher for corrections.</param>
/// <param name="Sections">Sections of the record (<c>RecordSections</c>) the item belongs to, for restrictions.</param>
/// <param name="EffectiveAt">When the visit took place or the sample was taken.</param>
/// <param name="AbnormalCount">Results outside their reference range (lab and diagnostic results; 0 otherwise).</param>
/// <param name="HasDocument">An attached PDF can be downloaded.</param>
public sealed record MedicalRecordItemPublished(
    Guid ItemId,
    Guid RecordId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string Kind,
    string Title,
    int Version,
    IReadOnlyList<string> Sections,
    DateTimeOffset EffectiveAt,
    int AbnormalCount,
    bool HasDocument,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>A new lab result crossed a threshold the patient set for that analyte.</summary>
/// <param name="Direction">"above" (over the upper threshold) or "below" (under the lower one).</param>
public sealed record LabThresholdCrossed(
    Guid PatientId,
    Guid ItemId,
    string AnalyteCode,
    string AnalyteName,
    decimal Value,
    string? Unit,
    decimal Threshold,
    string Direction,
    DateTimeOffset TakenAt,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>Kinds of record items; stable API values.</summary>
public static class RecordItemKinds
{
    public const string Visit = "visit";
    public const string LabResult = "lab_result";
    public const string DiagnosticResult = "diagnostic_result";
    public const string Protocol = "protocol";
    public const string Discharge = "discharge";
    public const string PreventiveExam = "preventive_exam";

    public static readonly IReadOnlyList<string> All = [Visit, LabResult, DiagnosticResult, Protocol, Discharge, PreventiveExam];

    /// <summary>Kinds that are results ("new result"); the others are documents ("new document").</summary>
    public static bool IsResult(string kind) => kind is LabResult or DiagnosticResult;
}
