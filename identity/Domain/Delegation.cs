namespace Gosuslugi.Health.Identity.Domain;

public enum DelegationKind
{
    /// <summary>A parent or guardian for a child, on a birth certificate.</summary>
    Guardian,

    /// <summary>A representative, on a power of attorney.</summary>
    Representative,
}

public enum DelegationScope
{
    /// <summary>The whole record.</summary>
    All,

    /// <summary>Current prescriptions and lab results only.</summary>
    Limited,

    /// <summary>The whole record, and booking and cancelling appointments.</summary>
    Manage,
}

/// <summary>
/// The right of <see cref="ActorId"/> to act for <see cref="PrincipalId"/> within <see cref="Scope"/>
/// between <see cref="ValidFrom"/> and <see cref="ValidTo"/>, on a document (birth certificate or power
/// of attorney) named by <see cref="DocumentReference"/>.
/// </summary>
public sealed class Delegation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid PrincipalId { get; init; }
    public required Guid ActorId { get; init; }
    public DelegationKind Kind { get; init; }
    public DelegationScope Scope { get; init; }

    /// <summary>Series and number of the birth certificate or the power of attorney's number.</summary>
    public required string DocumentReference { get; init; }

    public DateOnly? DocumentIssuedOn { get; init; }
    public DateTimeOffset ValidFrom { get; init; }
    public DateTimeOffset ValidTo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required Guid CreatedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && ValidFrom <= now && now < ValidTo;
}
