using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>
/// An e-prescription as its medical organization last published it (<see cref="Version"/> counts the changes), with what
/// pharmacies did with it: where the patient sent it, what is reserved and how much was dispensed.
/// </summary>
public sealed class Prescription
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    public required string OrganizationName { get; set; }

    /// <summary>The organization's own identifier (FHIR identifier[0].value), unique per organization.</summary>
    public required string ExternalId { get; init; }

    public int Version { get; set; } = 1;

    /// <summary>SHA-256 (hex) of the published content: the same content sent again is a resend, not a new version.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Sealed <see cref="PrescriptionContent"/>.</summary>
    public required Sealed Content { get; set; }

    /// <summary>One of <see cref="PrescriptionStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>How much may be dispensed in total (packs, units: see the content's QuantityUnit).</summary>
    public decimal Quantity { get; set; }

    public decimal DispensedQuantity { get; set; }

    /// <summary>Issued under a preferential (reimbursed) program.</summary>
    public bool Preferential { get; set; }

    public DateOnly AuthoredOn { get; set; }

    public DateOnly ValidFrom { get; set; }

    /// <summary>The last day (inclusive) it may be dispensed.</summary>
    public DateOnly ValidUntil { get; set; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The pharmacy the patient sent it to (its queue), if any.</summary>
    public Guid? PharmacyId { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The pharmacy that reserved the medicine for the patient, and when.</summary>
    public Guid? ReservedByPharmacyId { get; set; }

    public DateTimeOffset? ReservedAt { get; set; }

    /// <summary>When the patient was reminded that it expires unused (once).</summary>
    public DateTimeOffset? ExpiryReminderSentAt { get; set; }

    public decimal RemainingQuantity => Quantity - DispensedQuantity;

    /// <summary>Whether a pharmacy may still dispense from it on <paramref name="today"/> (Moscow date).</summary>
    public bool IsDispensable(DateOnly today) =>
        Status == PrescriptionStatuses.Active && RemainingQuantity > 0 && ValidFrom <= today && today <= ValidUntil;
}
