namespace Gosuslugi.Health.Contracts;

/// <summary>
/// An event one service publishes for others. Events are immutable records named in the past tense.
/// Add fields; never rename or remove one: consumers in other services deploy on their own schedule.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>When the fact happened (UTC), not when the message was sent.</summary>
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An event about one patient's data.</summary>
public interface IPatientEvent : IIntegrationEvent
{
    Guid PatientId { get; }
}
