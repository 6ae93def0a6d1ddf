using Gosuslugi.Health.Prescriptions.Domain;

namespace Gosuslugi.Health.Prescriptions.Publishing;

/// <summary>A MedicationRequest that passed the profile, its values normalized (what is stored and hashed).</summary>
public sealed record PublishedPrescription(
    string ExternalId,
    string Snils,
    string Status,
    DateOnly AuthoredOn,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    decimal Quantity,
    PrescriptionContent Content)
{
    public bool Preferential => Content.Program is not null;
}
