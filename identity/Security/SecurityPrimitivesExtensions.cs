using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Identity.Security;

public static class SecurityPrimitivesExtensions
{
    /// <summary>
    /// The password policy and hashing, TOTP secrets, one-time codes and the contact messenger.
    /// Call after AddIdentityCore: the policy and the hasher replace Identity's defaults. One-time codes need
    /// Redis (IKeyValueStore), which AddServiceDefaults registers.
    /// </summary>
    public static IServiceCollection AddSecurityPrimitives(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.Replace(ServiceDescriptor.Scoped<IPasswordValidator<HealthUser>, PasswordPolicy>());
        services.Configure<PasswordHasherOptions>(NormalizingPasswordHasher.Configure);
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<HealthUser>, NormalizingPasswordHasher>());

        services.AddScoped<TotpSecrets>();
        services.AddSingleton<ContactMessenger>();
        services.AddSingleton<OneTimeCodeKey>();
        services.AddScoped<OneTimeCodes>();
        return services;
    }
}
