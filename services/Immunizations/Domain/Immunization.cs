namespace Gosuslugi.Health.Immunizations.Domain;

/// <summary>A vaccination given to a patient, as the medical organization that gave it recorded it.</summary>
public sealed class Immunization
{
    private Immunization()
    {
        OrganizationName = VaccineCode = VaccineName = Disease = null!;
    }

    public Immunization(
        Guid patientId,
        Guid organizationId,
        string organizationName,
        string? externalId,
        string vaccineCode,
        string vaccineName,
        string disease,
        int? doseNumber,
        string? stage,
        string? lotNumber,
        DateOnly administeredOn,
        string? route,
        string? site,
        string? performerName,
        DateTimeOffset recordedAt)
    {
        Id = Guid.CreateVersion7(recordedAt);
        PatientId = patientId;
        OrganizationId = organizationId;
        OrganizationName = organizationName;
        ExternalId = externalId;
        VaccineCode = vaccineCode;
        VaccineName = vaccineName;
        Disease = disease;
        DoseNumber = doseNumber;
        Stage = stage;
        LotNumber = lotNumber;
        AdministeredOn = administeredOn;
        Route = route;
        Site = site;
        PerformerName = performerName;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The organization's name as its token carried it when it recorded the vaccination.</summary>
    public string OrganizationName { get; private set; }

    /// <summary>
    /// The organization's own id of this record. Unique per organization, so a client that retries
    /// after a lost response does not record the same vaccination twice.
    /// </summary>
    public string? ExternalId { get; private set; }

    public string VaccineCode { get; private set; }

    public string VaccineName { get; private set; }

    /// <summary>The infection(s) the vaccine protects against, e.g. "Корь, краснуха, паротит".</summary>
    public string Disease { get; private set; }

    public int? DoseNumber { get; private set; }

    /// <summary>Vaccination (V1, V2, ...) or revaccination (R1, R2, ...) stage of the national calendar.</summary>
    public string? Stage { get; private set; }

    /// <summary>Series (lot) of the vaccine.</summary>
    public string? LotNumber { get; private set; }

    public DateOnly AdministeredOn { get; private set; }

    public string? Route { get; private set; }

    public string? Site { get; private set; }

    public string? PerformerName { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>
    /// Whether a repeated submission with the same external id describes this same vaccination, so
    /// that answering with the stored record is honest rather than silently discarding new data.
    /// </summary>
    public bool IsSameAs(Immunization other) =>
        PatientId == other.PatientId
        && VaccineCode == other.VaccineCode
        && VaccineName == other.VaccineName
        && Disease == other.Disease
        && DoseNumber == other.DoseNumber
        && Stage == other.Stage
        && LotNumber == other.LotNumber
        && AdministeredOn == other.AdministeredOn
        && Route == other.Route
        && Site == other.Site
        && PerformerName == other.PerformerName;
}
