namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// Configuration section <c>Identity:Signatures</c>: whose certificates are trusted for the electronic signature (ЭП),
/// and the local test certification authority that development and tests use in place of an accredited one.
/// </summary>
public sealed class SignatureOptions
{
    public const string Section = "Identity:Signatures";

    /// <summary>
    /// Root certificates (PEM or DER files) of the certification authorities whose certificates are accepted; in
    /// production the accredited CAs' roots. Their CRLs are fetched from the certificates' distribution points.
    /// </summary>
    public List<string> TrustAnchors { get; set; } = [];

    /// <summary>
    /// Whether identity runs its own test CA (key in the HSM, certificate in the database) and trusts it. The
    /// development default; production turns it off and lists the accredited CAs in <see cref="TrustAnchors"/>.
    /// </summary>
    public bool LocalCaEnabled { get; set; } = true;

    /// <summary>The local CA's subject common name.</summary>
    public string LocalCaName { get; set; } = "Gosuslugi.Health Test CA (development only)";

    public TimeSpan LocalCaLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>How long a user certificate issued by the local CA is valid unless asked otherwise.</summary>
    public TimeSpan IssuedCertificateLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The CRL's nextUpdate is this far after its thisUpdate; it is remade when less than half of it is left.</summary>
    public TimeSpan CrlLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a sign-in challenge may be signed and returned; each is taken once.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest payload (decoded) that <c>/api/v1/signatures/verify</c> checks.</summary>
    public int MaxPayloadBytes { get; set; } = 10 * 1024 * 1024;
}
