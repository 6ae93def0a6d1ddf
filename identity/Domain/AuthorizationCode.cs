namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// An issued authorization code. Only its hash is stored; it is redeemed once, by the client it was
/// issued to, with the same redirect URI and the PKCE verifier of <see cref="CodeChallenge"/>.
/// </summary>
public sealed class AuthorizationCode
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string CodeHash { get; init; }
    public required string ClientId { get; init; }
    public required Guid UserId { get; init; }

    /// <summary>The sign-in (<see cref="UserSession"/>) it belongs to: ending the session revokes it.</summary>
    public Guid? SessionId { get; init; }
    public required string RedirectUri { get; init; }
    public required string Scope { get; init; }

    /// <summary>BASE64URL(SHA256(code_verifier)); only S256 is accepted (RFC 9700 §2.1.1).</summary>
    public required string CodeChallenge { get; init; }

    public string? Nonce { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set by the first redemption attempt; a second one is a replay.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
