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

        // Read once per process: options are built per DbContext (a service may change them later, as Audit switches
        // to its writer role), and a configuration read per request takes a lock all requests share.
        builder.Services.TryAddSingleton(sp => new ConnectionStringOf<TDb>(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.")));

        // No retrying execution strategy: it refuses user-initiated transactions, which the outbox and inbox need.
        builder.Services.AddDbContext<TDb>((sp, options) =>
        {
            options.UseNpgsql(sp.GetRequiredService<ConnectionStringOf<TDb>>().Value).UseSnakeCaseNamingConvention();
            options.AddInterceptors(sp.GetRequiredService<OutboxSignalInterceptor<TDb>>());
        });

        builder.Services.AddHostedService<MigrationHostedService<TDb>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>(name: connectionName, tags: [Extensions.ReadyTag]);
        return builder;
    }
}

/// <summary>The connection string of <typeparamref name="TDb"/>'s database as configured at start-up.</summary>
internal sealed record ConnectionStringOf<TDb>(string Value) where TDb : DbContext;
