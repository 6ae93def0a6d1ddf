namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// <paramref name="ActorId"/> may act for <paramref name="PatientId"/> (a child or a represented adult)
/// within <paramref name="Scope"/> ("all", "limited", "manage") from <paramref name="ValidFrom"/> until
/// <paramref name="ValidTo"/>.
/// </summary>
public sealed record DelegationGranted(
    Guid DelegationId,
    Guid PatientId,
    Guid ActorId,
    string Kind,
    string Scope,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>A delegation ended early. Tokens issued under it already fail (deny-list).</summary>
public sealed record DelegationRevoked(
    Guid DelegationId,
    Guid PatientId,
    Guid ActorId,
    Guid RevokedBy,
    DateTimeOffset OccurredAt) : IPatientEvent;
