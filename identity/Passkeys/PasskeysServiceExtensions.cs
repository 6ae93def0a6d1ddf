using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Passkeys;

public static class PasskeysServiceExtensions
{
    /// <summary>
    /// Passkeys (WebAuthn) through ASP.NET Core Identity's <see cref="IPasskeyHandler{TUser}"/>: registration from the
    /// account API and verification as a second factor at sign-in. The relying party is the public issuer: its host
    /// is the RP ID, its origin the only origin a ceremony may come from.
    /// </summary>
    /// <remarks>Needs <c>IKeyValueStore</c> (Redis) for the ceremony state; see <see cref="PasskeyCeremonies"/>.</remarks>
    public static IServiceCollection AddPasskeys(this IServiceCollection services)
    {
        services.AddOptions<IdentityPasskeyOptions>()
            .Configure<IOptions<TokenServiceOptions>>((passkeys, tokens) =>
            {
                var issuer = new Uri(tokens.Value.Issuer, UriKind.Absolute);
                var expectedOrigin = PublicOrigin(issuer);
                // Behind the gateway the request's Host is identity's internal address, so neither the RP ID
                // nor the origin may come from the request (the handler's defaults); both come from the issuer.
                passkeys.ServerDomain = issuer.IdnHost;
                passkeys.ValidateOrigin = context => ValueTask.FromResult(
                    !context.CrossOrigin && string.Equals(context.Origin, expectedOrigin, StringComparison.Ordinal));
                passkeys.AuthenticatorTimeout = TimeSpan.FromMinutes(5);
                passkeys.ChallengeSize = 32;
                // The passkey stands for "something you have and are": without user verification it would be
                // possession alone, so the authenticator must verify the person (PIN or biometrics).
                passkeys.UserVerificationRequirement = "required";
                passkeys.ResidentKeyRequirement = "preferred";
            });

        services.TryAddScoped<IPasskeyHandler<HealthUser>, PasskeyHandler<HealthUser>>();
        services.AddScoped<PasskeyCeremonies>();
        services.AddScoped<AccountPasskeys>();
        services.AddScoped<PasskeyFactor>();
        return services;
    }

    /// <summary>The WebAuthn origin of the issuer: scheme, host and a non-default port, no trailing slash.</summary>
    internal static string PublicOrigin(Uri issuer) => issuer.GetLeftPart(UriPartial.Authority);
}
