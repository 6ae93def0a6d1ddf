using Gosuslugi.Health.Identity.Tokens;

namespace Gosuslugi.Health.Identity.Delegations;

public static class DelegationsServiceExtensions
{
    /// <summary>Delegations, the token exchange that acts on them, and their options (section Identity).</summary>
    public static IServiceCollection AddDelegations(this IServiceCollection services)
    {
        services.AddOptions<DelegationOptions>()
            .BindConfiguration("Identity")
            .Validate(o => o.DelegatedAccessTokenLifetime > TimeSpan.Zero
                           && o.DelegatedAccessTokenLifetime <= DelegationOptions.MaxDelegatedAccessTokenLifetime,
                "Identity:DelegatedAccessTokenLifetime must be positive and at most 24 hours.")
            .Validate(o => o.MaxPowerOfAttorneyPeriod > TimeSpan.Zero, "Identity:MaxPowerOfAttorneyPeriod must be positive.")
            .ValidateOnStart();
        services.AddScoped<TokenExchangeGrant>();
        return services;
    }
}
