namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// An RSA key that signs tokens. Its private half is generated inside the HSM and never leaves it (the row names it by
/// <see cref="HsmLabel"/>); the row keeps its public half and its life (next, current, retired), shared by every
/// instance so that restarts and scale-out keep issued tokens valid.
/// </summary>
public sealed class SigningKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The JWK thumbprint (RFC 7638), published as <c>kid</c>.</summary>
    public required string KeyId { get; init; }

    public required string Algorithm { get; init; }

    /// <summary>The public key (X.509 SubjectPublicKeyInfo, DER), published in the JWKS and used to validate.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The key pair's CKA_LABEL in the HSM.</summary>
    public string HsmLabel => HsmLabelOf(Id);

    public static string HsmLabelOf(Guid id) => $"token-signing-{id:N}";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// When it began signing. A key not yet activated is the "next" one: published in the JWKS ahead of
    /// time, so that caches know it before the first token it signs.
    /// </summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>When it stopped signing; it stays in the JWKS until tokens it signed have expired.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
