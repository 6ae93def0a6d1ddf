using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Gosuslugi.Health.ServiceDefaults;

public static class CachingExtensions
{
    /// <summary>
    /// One <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c> ("host:port,password=..."),
    /// with Aspire's client integration for its telemetry, a "ready" health check, and IDistributedCache and
    /// IKeyValueStore on that one multiplexer. AddServiceDefaults already calls it (the token deny-list lives in
    /// Redis); a second call changes nothing.
    /// </summary>
    public static IHostApplicationBuilder AddServiceRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // One Redis per process: a second registration would add a second multiplexer and a duplicate health check name.
        if (builder.Services.Any(d => d.ServiceType == typeof(IKeyValueStore))) return builder;

        builder.AddRedisClient(connectionName,
            settings => settings.DisableHealthChecks = true, // ours below, named and tagged for /health/ready
            options =>
            {
                // Start and keep trying while Redis is down instead of throwing from the first resolution; a command
                // then fails at once (no backlog), so a token check fails closed with 503 instead of hanging.
                options.AbortOnConnectFail = false;
                options.BacklogPolicy = BacklogPolicy.FailFast;
                options.ConnectTimeout = 3000;
                options.ConnectRetry = 1;
            });
        builder.Services.AddSingleton<IKeyValueStore, MultiplexerKeyValueStore>();
        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((cache, sp) =>
            cache.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
        builder.Services.AddHealthChecks().AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(),
            name: connectionName, tags: [Extensions.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        return builder;
    }
}
