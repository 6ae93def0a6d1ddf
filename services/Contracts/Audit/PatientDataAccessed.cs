namespace Gosuslugi.Health.Contracts.Audit;

/// <summary>
/// Someone read, exported or changed a patient's data in a service, or was refused. Every service publishes one per
/// access (through its outbox); Audit chains them per patient and shows the patient who looked at what.
/// </summary>
/// <param name="EventId">Unique per access: a redelivered event is chained once.</param>
/// <param name="ActorId">The person (or client) who acted: the token's <c>act.sub</c> when acting for someone, else its <c>sub</c>; null for a machine client without one.</param>
/// <param name="ActorRole">One of <see cref="AccessActorRoles"/>.</param>
/// <param name="ActorName">The actor's name as the token carries it, when it does.</param>
/// <param name="OrganizationId">The organization the actor works for or is (doctors, medical organizations).</param>
/// <param name="DelegationId">Set when a guardian or representative acted for the patient.</param>
/// <param name="Service">The service that served the access ("records", "immunizations", ...).</param>
/// <param name="Section">The record section (<c>RecordSections</c>) or area ("history", "exports", "data_requests").</param>
/// <param name="ItemId">The item read or changed, when one item was.</param>
/// <param name="Action">One of <see cref="AccessActions"/>.</param>
/// <param name="Purpose">Why: what the caller declared (header <c>X-Access-Purpose</c>) or what the endpoint implies; Russian, shown to the patient.</param>
/// <param name="Outcome">"allowed" or "refused".</param>
public sealed record PatientDataAccessed(
    Guid EventId,
    Guid PatientId,
    Guid? ActorId,
    string ActorRole,
    string? ActorName,
    Guid? OrganizationId,
    string? OrganizationName,
    Guid? DelegationId,
    string? ClientId,
    string Service,
    string Section,
    Guid? ItemId,
    string Action,
    string Purpose,
    string? IpAddress,
    string? UserAgent,
    string Outcome,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>An organization opened a patient's record for the first time (Audit tells; Notifications informs the patient).</summary>
public sealed record RecordOpenedByNewOrganization(
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string ActorRole,
    string Section,
    DateTimeOffset OccurredAt) : IPatientEvent;

public static class AccessActorRoles
{
    public const string Patient = "patient";
    public const string Representative = "representative";
    public const string Doctor = "doctor";
    public const string MedicalOrganization = "medical_organization";
    public const string Pharmacy = "pharmacy";
    public const string Admin = "admin";
}

public static class AccessActions
{
    public const string Read = "read";
    public const string Export = "export";
    public const string Create = "create";
    public const string Change = "change";
}

public static class AccessOutcomes
{
    public const string Allowed = "allowed";
    public const string Refused = "refused";
}
