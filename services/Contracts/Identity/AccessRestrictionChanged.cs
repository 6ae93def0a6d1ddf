namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// A patient restricted (or lifted a restriction on) who may see their record: an organization
/// (<paramref name="OrganizationId"/>, all sections or one), or a section of the record for every
/// organization but the one that wrote it. Every service keeps the current set and enforces it.
/// </summary>
/// <param name="Kind">"organization" or "section".</param>
/// <param name="Section">One of <see cref="RecordSections"/>, or null for the whole record.</param>
/// <param name="Active">True when the restriction is in force, false when it was lifted.</param>
public sealed record AccessRestrictionChanged(
    Guid RestrictionId,
    Guid PatientId,
    string Kind,
    Guid? OrganizationId,
    string? Section,
    bool Active,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>Sections of the record a patient can hide. Codes are stable API values.</summary>
public static class RecordSections
{
    public const string Psychiatry = "psychiatry";
    public const string Narcology = "narcology";
    public const string Venereology = "venereology";
    public const string Hiv = "hiv";
    public const string Reproductive = "reproductive";
    public const string Immunizations = "immunizations";
    public const string LabResults = "lab_results";
    public const string Prescriptions = "prescriptions";
    public const string Visits = "visits";
    public const string SickLeave = "sick_leave";

    public static readonly IReadOnlyList<string> All =
        [Psychiatry, Narcology, Venereology, Hiv, Reproductive, Immunizations, LabResults, Prescriptions, Visits, SickLeave];
}
