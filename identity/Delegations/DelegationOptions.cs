namespace Gosuslugi.Health.Identity.Delegations;

/// <summary>Configuration section <c>Identity</c> (the same section as the token service's options).</summary>
public sealed class DelegationOptions
{
    /// <summary>The hard cap on a token that acts for someone else, whatever the configuration says.</summary>
    public static readonly TimeSpan MaxDelegatedAccessTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a token from the token exchange lives at most; it never outlives its delegation either. Short, because
    /// revocation relies on the deny-list and every hour is an hour of exposure if the token leaks.
    /// </summary>
    public TimeSpan DelegatedAccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest period a power of attorney may grant access for.</summary>
    public TimeSpan MaxPowerOfAttorneyPeriod { get; set; } = TimeSpan.FromDays(5 * 365 + 1);
}
