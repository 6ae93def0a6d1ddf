using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults;

public static class CachingExtensions
{
    /// <summary>
    /// Redis from <c>ConnectionStrings:{connectionName}</c> behind IDistributedCache and IKeyValueStore, with a "ready" health check.
    /// AddServiceDefaults already calls it (the token deny-list lives in Redis); a second call changes nothing.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // One Redis per process: a second registration would add a second pool and a duplicate health check name.
        if (builder.Services.Any(d => d.ServiceType == typeof(RedisConnectionPool))) return builder;

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new RedisConnectionPool(RedisOptions.Parse(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured."))));
        builder.Services.AddSingleton<IKeyValueStore, RedisKeyValueStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDistributedCache, RedisDistributedCache>());
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, tags: [Extensions.ReadyTag]);
        return builder;
    }
}

internal sealed class RedisHealthCheck(RedisConnectionPool redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var reply = await redis.ExecuteAsync(RedisConnection.Command("PING"), timeout.Token);
            return reply.AsString() == "PONG" ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Unexpected PING reply.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable.", ex);
        }
    }
}
