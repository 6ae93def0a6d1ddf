namespace Gosuslugi.Health.Identity.Domain;

public enum AccessRestrictionKind
{
    /// <summary>A medical organization may not see the record (or one section of it).</summary>
    Organization,

    /// <summary>A section of the record (for example psychiatry) is hidden from every organization but the one that wrote it.</summary>
    Section,
}

/// <summary>A patient's restriction of who may see their record. Lifting it sets <see cref="LiftedAt"/>; rows are never deleted.</summary>
public sealed class AccessRestriction
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid PatientId { get; init; }
    public AccessRestrictionKind Kind { get; init; }
    public Guid? OrganizationId { get; init; }
    public string? OrganizationName { get; init; }

    /// <summary>A section code (see Contracts' RecordSections), or null for the whole record.</summary>
    public string? Section { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
}
