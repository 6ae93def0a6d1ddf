namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>
/// The patient sent the prescription to a pharmacy. With the client's Idempotency-Key (unique per patient), a retried
/// request finds this row and answers the same instead of sending again.
/// </summary>
public sealed class PharmacySending
{
    public const int IdempotencyKeyLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PrescriptionId { get; init; }

    public Guid PatientId { get; init; }

    public Guid PharmacyId { get; init; }

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset SentAt { get; init; }
}
