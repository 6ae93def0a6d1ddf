namespace Gosuslugi.Health.Immunizations.Domain;

/// <summary>
/// One vaccination the patient is due to get (national calendar or a doctor's plan), as the medical organization
/// that keeps the patient's plan published it. Done when a vaccination against the same disease is recorded;
/// the patient is reminded once when it draws near.
/// </summary>
public sealed class VaccinationPlan
{
    /// <summary>A vaccination given this many days before the planned date still counts for the plan.</summary>
    public const int DoneWindowDays = 30;

    private VaccinationPlan()
    {
        OrganizationName = ExternalId = Disease = null!;
    }

    public VaccinationPlan(
        Guid patientId,
        Guid organizationId,
        string organizationName,
        string externalId,
        string disease,
        string? vaccineName,
        string? stage,
        DateOnly dueOn,
        DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        PatientId = patientId;
        OrganizationId = organizationId;
        OrganizationName = organizationName;
        ExternalId = externalId;
        Disease = disease;
        VaccineName = vaccineName;
        Stage = stage;
        DueOn = dueOn;
        CreatedAt = UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The organization's name as its token carried it when it last published the item; shown to the patient.</summary>
    public string OrganizationName { get; private set; }

    /// <summary>The organization's own id of the plan item: the key of its upserts and cancellation.</summary>
    public string ExternalId { get; private set; }

    public string Disease { get; private set; }

    public string? VaccineName { get; private set; }

    /// <summary>Vaccination (V1, V2, ...) or revaccination (R1, R2, ...) stage of the national calendar.</summary>
    public string? Stage { get; private set; }

    public DateOnly DueOn { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When a recorded vaccination fulfilled the item (see <see cref="DoneByImmunizationId"/>).</summary>
    public DateTimeOffset? DoneAt { get; private set; }

    public Guid? DoneByImmunizationId { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>When the VaccinationDue reminder went to the outbox; null while the patient has not been reminded.</summary>
    public DateTimeOffset? NotifiedAt { get; private set; }

    public bool IsOpen => DoneAt is null && CancelledAt is null;

    /// <summary>Whether a resend with these values would change nothing (a cancelled item is reinstated by a resend).</summary>
    public bool HasSameContent(Guid patientId, string disease, string? vaccineName, string? stage, DateOnly dueOn) =>
        PatientId == patientId
        && Disease == disease
        && VaccineName == vaccineName
        && Stage == stage
        && DueOn == dueOn;

    /// <summary>
    /// Applies a resend. A new due date is a new reminder, and a resend of a cancelled item reinstates it.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public bool Update(string organizationName, string disease, string? vaccineName, string? stage, DateOnly dueOn,
        DateTimeOffset now)
    {
        var sameContent = Disease == disease && VaccineName == vaccineName && Stage == stage && DueOn == dueOn;
        if (sameContent && CancelledAt is null)
        {
            return false;
        }

        if (DueOn != dueOn || CancelledAt is not null)
        {
            NotifiedAt = null;
        }

        OrganizationName = organizationName;
        Disease = disease;
        VaccineName = vaccineName;
        Stage = stage;
        DueOn = dueOn;
        CancelledAt = null;
        UpdatedAt = now;
        return true;
    }

    /// <returns>Whether it was open until now (a repeated cancellation changes nothing).</returns>
    public bool Cancel(DateTimeOffset now)
    {
        if (CancelledAt is not null)
        {
            return false;
        }

        CancelledAt = UpdatedAt = now;
        return true;
    }

    /// <summary>Whether a vaccination given on <paramref name="administeredOn"/> counts for this item.</summary>
    public bool IsFulfilledBy(DateOnly administeredOn) => administeredOn >= DueOn.AddDays(-DoneWindowDays);

    public void MarkDone(Guid immunizationId, DateTimeOffset now)
    {
        DoneAt = UpdatedAt = now;
        DoneByImmunizationId = immunizationId;
    }

    public void MarkNotified(DateTimeOffset now) => NotifiedAt = now;
}
