using System.Globalization;
using System.Threading.RateLimiting;
using Gosuslugi.Health.Gateway.Problems;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Gateway.RateLimiting;

/// <summary>
/// A token bucket per client: per OAuth client and subject when the request carries a valid token, otherwise
/// per remote address (so that anonymous floods, including bad tokens, are limited too).
/// </summary>
public static class ClientRateLimiting
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((limiter, gateway) =>
        {
            var limits = gateway.Value.RateLimit;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !limits.Enabled || IsHealthProbe(context.Request)
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, limits.Burst),
                        TokensPerPeriod = Math.Max(1, limits.PermitsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            limiter.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : 1;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await GatewayProblems.WriteAsync(context,
                    $"Слишком много запросов. Повторите попытку через {retryAfter} с.");
            };
        });
        return services;
    }

    static string PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            // Claim names as in the JWT (inbound claim mapping is off).
            return $"client:{user.GetClientId()}|sub:{user.FindFirst(HealthClaims.Subject)?.Value}";
        }

        return $"ip:{context.Connection.RemoteIpAddress}";
    }

    static bool IsHealthProbe(HttpRequest request) => request.Path.StartsWithSegments("/health");
}
