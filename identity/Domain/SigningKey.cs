namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// An RSA key that signs tokens. Kept in identity's database so that every instance signs with the
/// same key and restarts keep issued tokens valid.
/// </summary>
public sealed class SigningKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The JWK thumbprint (RFC 7638), published as <c>kid</c>.</summary>
    public required string KeyId { get; init; }

    public required string Algorithm { get; init; }

    /// <summary>
    /// PKCS#8 private key. Stored unencrypted for now: the database is the trust boundary. A key vault
    /// or an HSM replaces this column in production.
    /// </summary>
    public required byte[] PrivateKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// When it began signing. A key not yet activated is the "next" one: published in the JWKS ahead of
    /// time, so that caches know it before the first token it signs.
    /// </summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>When it stopped signing; it stays in the JWKS until tokens it signed have expired.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
