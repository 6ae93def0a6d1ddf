using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.ServiceDefaults;

public static class HsmExtensions
{
    /// <summary>
    /// The HSM (section <c>Hsm</c>, see <see cref="HsmOptions"/>) as one <see cref="Pkcs11Hsm"/> per process, its meter
    /// in the service's metrics, a "ready" health check, every key use published as a security event through
    /// <typeparamref name="TDb"/>'s outbox (<see cref="HsmKeyUsageLog{TDb}"/>), and Data Protection's key ring
    /// encrypted with a key inside it.
    /// </summary>
    public static IHostApplicationBuilder AddServiceHsm<TDb>(this IHostApplicationBuilder builder) where TDb : DbContext
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(Pkcs11Hsm))) return builder; // one HSM, one usage log per process
        services.AddOptions<HsmOptions>()
            .BindConfiguration(HsmOptions.Section)
            .Validate(o => !string.IsNullOrEmpty(o.UserPin), "Hsm:UserPin is required (./run.sh generates one into .data/secrets.json).")
            .ValidateOnStart();
        services.AddSingleton<Pkcs11Hsm>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<HsmKeyUsageLog<TDb>>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new HsmXmlEncryptor(sp.GetRequiredService<Pkcs11Hsm>())));
        // Its meter (Gosuslugi.Health.Hsm) is among ServiceDefaults' own "Gosuslugi.Health.*".
        services.AddHealthChecks().AddCheck<HsmHealthCheck>("hsm", tags: [Extensions.ReadyTag]);
        return builder;
    }

    private sealed class HsmHealthCheck(Pkcs11Hsm hsm) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                hsm.EnsureReachable();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (HsmUnavailableException e)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
            }
        }
    }
}
