namespace Gosuslugi.Health.Contracts.Records;

/// <summary>
/// A planned preventive exam (диспансеризация or профосмотр, a FHIR CarePlan in Records) draws near: the patient is
/// reminded about a week ahead of <paramref name="DueOn"/>.
/// </summary>
/// <param name="ItemId">The version of the record item that planned the exam.</param>
/// <param name="Program">One of <see cref="PreventivePrograms"/>.</param>
/// <param name="Stage">The stage of диспансеризация (1 or 2), when the plan names one.</param>
/// <param name="OrganizationName">Where the exam takes place, when known.</param>
public sealed record PreventiveExamDue(
    Guid ItemId,
    Guid PatientId,
    string Program,
    int? Stage,
    string? OrganizationName,
    DateOnly DueOn,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>Programs of preventive exams; stable API values.</summary>
public static class PreventivePrograms
{
    public const string Dispanserization = "dispanserization";
    public const string ProfExam = "prof_exam";
}
