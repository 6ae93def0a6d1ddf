namespace Gosuslugi.Health.Identity.Domain;

/// <summary>Values of the <c>role</c> claim. The first three are Identity roles of people.</summary>
public static class HealthRoles
{
    public const string Patient = "patient";
    public const string Doctor = "doctor";
    public const string Admin = "admin";

    /// <summary>Machine clients of medical organizations (client credentials); never a person.</summary>
    public const string MedicalOrganization = "medical_organization";

    /// <summary>Machine clients of pharmacies (client credentials, scope health.pharmacy); never a person.</summary>
    public const string Pharmacy = "pharmacy";

    public static readonly IReadOnlyList<string> PersonRoles = [Patient, Doctor, Admin];
}
