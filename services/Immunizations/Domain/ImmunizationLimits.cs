namespace Gosuslugi.Health.Immunizations.Domain;

/// <summary>Lengths and ranges shared by validation and the database schema.</summary>
public static class ImmunizationLimits
{
    public const int OrganizationName = 300;
    public const int ExternalId = 100;
    public const int VaccineCode = 64;
    public const int VaccineName = 200;
    public const int Disease = 300;
    public const int Stage = 8;
    public const int LotNumber = 64;
    public const int Route = 100;
    public const int Site = 100;
    public const int PerformerName = 200;
    public const int MaxDoseNumber = 20;
}
