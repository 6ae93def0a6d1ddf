namespace Gosuslugi.Health.Audit.Domain;

/// <summary>
/// One access to a patient's data (a read, export or change, or a refusal), as a link of that patient's own append-only
/// hash chain: <see cref="Hash"/> covers <see cref="PreviousHash"/> and every field of the entry, so changing, removing
/// or reordering any of the patient's entries breaks every hash after it. Each patient has a separate chain, so
/// appends for different patients never wait for each other.
/// </summary>
public sealed class AccessEventEntry
{
    public Guid PatientId { get; init; }

    /// <summary>Position in the patient's chain, from 1 without gaps.</summary>
    public long PatientSequence { get; init; }

    /// <summary>The event's own id: a republished event is recognised and not chained twice.</summary>
    public Guid EventId { get; init; }

    // Who.
    public Guid? ActorId { get; init; }
    public required string ActorRole { get; init; }
    public string? ActorName { get; init; }
    public Guid? OrganizationId { get; init; }
    public string? OrganizationName { get; init; }
    public Guid? DelegationId { get; init; }
    public string? ClientId { get; init; }

    // What.
    public required string Service { get; init; }
    public required string Section { get; init; }
    public Guid? ItemId { get; init; }
    public required string Action { get; init; }

    // Why, from where, with what outcome.
    public required string Purpose { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
    public required string Outcome { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Lowercase hex SHA-256 of the patient's entry before (64 zeros for the first).</summary>
    public required string PreviousHash { get; init; }

    /// <summary>Lowercase hex SHA-256 of <see cref="PreviousHash"/> and this entry's content; set once, when chained.</summary>
    public string Hash { get; set; } = "";
}
