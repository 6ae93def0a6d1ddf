namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>
/// A pharmacy of the directory the patient chooses from. Its <see cref="Id"/> is the org_id of its client's tokens
/// (identity's pharmacy clients), so a token names its pharmacy without a lookup.
/// </summary>
public sealed class Pharmacy
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public required string Address { get; set; }

    /// <summary>Opening hours as shown to the patient ("пн–пт 8:00–21:00, сб–вс 9:00–20:00").</summary>
    public required string Hours { get; set; }

    /// <summary>Dispenses preferential (reimbursed) prescriptions.</summary>
    public bool ServesPreferential { get; set; }
}

/// <summary>A pharmacy that scanned the prescription's QR code: it may read and dispense it although it was not sent there.</summary>
public sealed class PharmacyGrant
{
    public Guid PrescriptionId { get; init; }

    public Guid PharmacyId { get; init; }

    public DateTimeOffset GrantedAt { get; init; }
}
