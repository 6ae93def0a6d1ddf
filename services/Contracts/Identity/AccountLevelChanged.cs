namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>A person's account level changed ("simplified", "standard", "confirmed").</summary>
public sealed record AccountLevelChanged(
    Guid PatientId,
    string Level,
    DateTimeOffset OccurredAt) : IPatientEvent;
