namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>One handing-out of (part of) a prescription's quantity by a pharmacy.</summary>
public sealed class MedicationDispense
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PrescriptionId { get; init; }

    public Guid PatientId { get; init; }

    public Guid PharmacyId { get; init; }

    public decimal Quantity { get; init; }

    public DateTimeOffset DispensedAt { get; init; }
}
