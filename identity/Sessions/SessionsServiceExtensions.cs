using System.Security.Claims;
using Gosuslugi.Health.Identity.Admin;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Sessions;

public static class SessionsServiceExtensions
{
    /// <summary>
    /// Sign-in sessions and sign-out, the per-person claims of tokens, signing-key rotation and the operators' API.
    /// Call it after the hosted service that creates the first keys, so that the rotation job starts after it.
    /// </summary>
    public static IServiceCollection AddSessionsAndAdministration(this IServiceCollection services)
    {
        services.AddScoped<SessionStore>();
        services.AddScoped<PersonClaims>();
        services.AddSingleton<OwnTokenReader>();
        services.AddScoped<AdminAccounts>();

        services.AddOptions<KeyRotationOptions>()
            .BindConfiguration(KeyRotationOptions.Section)
            .Validate(o => o.Interval > TimeSpan.Zero && o.CheckEvery > TimeSpan.Zero, "Identity:KeyRotation intervals must be positive.")
            // A retired key must stay published until the longest-living token it signed (a delegated one) has expired.
            .Validate(o => o.RetiredKeyRetention > KeyRotationOptions.LongestTokenLifetime,
                "Identity:KeyRotation:RetiredKeyRetention must exceed the longest token lifetime (24 hours).")
            .ValidateOnStart();
        services.AddHostedService<SigningKeyRotationJob>();

        // Identity rebuilds the sign-in cookie's principal when it re-checks the security stamp; the session it belongs
        // to and how the person signed in must survive that, or the cookie would stop naming its session.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identity is ClaimsIdentity identity && context.CurrentPrincipal is { } current)
            {
                foreach (var claim in current.FindAll(c => c.Type is HealthClaims.SessionId or HealthClaims.AuthenticationMethods))
                {
                    if (!identity.HasClaim(claim.Type, claim.Value)) identity.AddClaim(new Claim(claim.Type, claim.Value));
                }
            }
            return Task.CompletedTask;
        });
        return services;
    }
}
