namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// A refresh token (only its hash is stored). Each use consumes it and issues its successor in the
/// same family; presenting a consumed one means it leaked, so the whole family is revoked
/// (RFC 9700 §4.14.2).
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string TokenHash { get; init; }

    /// <summary>One family per grant: the id of the authorization code it started from.</summary>
    public required Guid FamilyId { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The sign-in (<see cref="UserSession"/>) it belongs to: ending the session revokes it.</summary>
    public Guid? SessionId { get; init; }
    public required Guid UserId { get; init; }
    public required string Scope { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>No token of the family outlives this, however often it is rotated.</summary>
    public DateTimeOffset FamilyExpiresAt { get; init; }

    public DateTimeOffset? ConsumedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
