using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TDb"/> on PostgreSQL from <c>ConnectionStrings:{connectionName}</c>, applies its
    /// migrations at start-up (before the app serves traffic) and adds a "ready" health check.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDb>(this IHostApplicationBuilder builder, string connectionName)
        where TDb : DbContext
    {
        builder.Services.TryAddSingleton<OutboxSignal<TDb>>();
        builder.Services.TryAddSingleton<OutboxSignalInterceptor<TDb>>();

        // No retrying execution strategy: it refuses user-initiated transactions, which the outbox and inbox need.
        // The options are built once per process (singleton): built per request, each would read the configuration,
        // whose every read takes a lock all requests share.
        builder.Services.AddDbContext<TDb>((sp, options) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
            options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();
            options.AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor<TDb>>());
        }, contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);

        builder.Services.AddHostedService<MigrationHostedService<TDb>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>(name: connectionName, tags: [Extensions.ReadyTag]);
        return builder;
    }
}
