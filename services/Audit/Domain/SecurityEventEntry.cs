namespace Gosuslugi.Health.Audit.Domain;

/// <summary>
/// One security event of identity (sign-in, lockout, factor change, token exchange, delegation, consent change), as a
/// link of the append-only hash chain: <see cref="Hash"/> covers <see cref="PreviousHash"/> and every field of the
/// entry, so changing, removing or reordering any entry breaks every hash after it.
/// </summary>
public sealed class SecurityEventEntry
{
    /// <summary>Position in the chain, from 1 without gaps.</summary>
    public long Sequence { get; init; }

    /// <summary>The event's own id: a republished event is recognised and not chained twice.</summary>
    public Guid EventId { get; init; }

    public required string Kind { get; init; }
    public Guid? SubjectId { get; init; }
    public Guid? ActorId { get; init; }
    public string? ClientId { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
    public required string Outcome { get; init; }

    /// <summary>The event's details as canonical JSON (keys in ordinal order), exactly the text that was hashed.</summary>
    public required string Details { get; init; }

    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Lowercase hex SHA-256 of the entry before (64 zeros for the first).</summary>
    public required string PreviousHash { get; init; }

    /// <summary>Lowercase hex SHA-256 of <see cref="PreviousHash"/> and this entry's content; set once, when chained.</summary>
    public string Hash { get; set; } = "";
}
