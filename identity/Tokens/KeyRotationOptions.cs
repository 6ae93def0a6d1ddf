namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Configuration section <c>Identity:KeyRotation</c>: when signing keys rotate and how long a retired one stays published.</summary>
public sealed class KeyRotationOptions
{
    public const string Section = "Identity:KeyRotation";

    /// <summary>The longest lifetime any token may have: a delegated access token (RFC 8693 exchange) lives at most 24 hours.</summary>
    public static TimeSpan LongestTokenLifetime => Delegations.DelegationOptions.MaxDelegatedAccessTokenLifetime;

    /// <summary>The current key is replaced by the next one when it has signed for this long.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// A retired ("previous") key stays in the JWKS this long after it stopped signing, so that every token it signed
    /// still validates until it expires: at least the longest token lifetime plus clock skew and the validators'
    /// cache of the JWKS.
    /// </summary>
    public TimeSpan RetiredKeyRetention { get; set; } = TimeSpan.FromHours(25);

    /// <summary>How often each instance checks whether the current key is due (the check itself is cheap).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
}
