using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Gateway.Security;

/// <summary>
/// The gateway is ready once it holds identity's signing keys: before that every protected request would be a 401.
/// Uses the token validation's own (cached) JWKS, so a probe does not call identity each time.
/// </summary>
public sealed class SigningKeysHealthCheck(IOptionsMonitor<JwtBearerOptions> options, ILogger<SigningKeysHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var manager = options.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager;
        if (manager is null)
        {
            return HealthCheckResult.Unhealthy("No identity URL configured");
        }

        try
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Identity publishes no signing keys");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The description is public (health output): the address and the reason go to the log only, and
            // briefly, since probes repeat it every few seconds while identity is down.
            logger.LogWarning("Identity signing keys unavailable: {Reason}", exception.GetBaseException().Message);
            return HealthCheckResult.Unhealthy("Identity signing keys unavailable");
        }
    }
}
