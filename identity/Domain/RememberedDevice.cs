namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// A browser where the person chose "remember this device": for 30 days the second factor is not asked
/// there. The browser holds a random token in a cookie; only its hash is stored.
/// </summary>
public sealed class RememberedDevice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required string TokenHash { get; init; }

    /// <summary>What the person sees in the list ("Chrome, Windows"), from the User-Agent.</summary>
    public required string Name { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
