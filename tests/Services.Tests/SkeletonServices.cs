using Gosuslugi.Health.TestInfrastructure;
using Npgsql;

namespace Gosuslugi.Health.Services.Tests;

/// <summary>
/// The six skeleton services, each on its own new database and RabbitMQ virtual host of the shared test servers,
/// started once (together, which is faster than one after the other) for all tests of the collection.
/// </summary>
public sealed class SkeletonServices : IAsyncLifetime
{
    private readonly Dictionary<string, RunningService> _running = new();
    private TestTokenIssuer? _issuer;

    public RunningService this[string name] => _running[name];

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        _issuer = await TestTokenIssuer.StartAsync();
        var started = await Task.WhenAll(SkeletonService.All.Values.Select(async service =>
        {
            var settings = new Dictionary<string, string?>(_issuer.Configuration)
            {
                [$"ConnectionStrings:{service.ConnectionName}"] = await servers.Postgres.CreateDatabaseAsync(service.Name),
                ["ConnectionStrings:rabbitmq"] = await servers.RabbitMq.CreateVirtualHostAsync(),
                ["ConnectionStrings:redis"] = servers.Redis.ConnectionString,
            };
            var running = new RunningService(service, settings);
            await running.StartAsync();
            return running;
        }));
        foreach (var running in started) _running[running.Service.Name] = running;
    }

    public async Task DisposeAsync()
    {
        foreach (var running in _running.Values) await running.Host.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }
}

public sealed class RunningService(SkeletonService service, IReadOnlyDictionary<string, string?> settings)
{
    public SkeletonService Service { get; } = service;
    public IReadOnlyDictionary<string, string?> Settings { get; } = settings;
    public IServiceHost Host { get; } = service.Host(settings);
    public string ConnectionString => Settings[$"ConnectionStrings:{Service.ConnectionName}"]!;

    /// <summary>What the database held before the service first started (it must have been empty).</summary>
    public IReadOnlyList<string> SchemaBeforeStart { get; private set; } = [];

    public async Task StartAsync()
    {
        SchemaBeforeStart = await Schema.ReadAsync(ConnectionString);
        using var _ = Host.CreateClient();
    }
}

[CollectionDefinition(Name)]
public sealed class SkeletonServicesCollection : ICollectionFixture<SkeletonServices>
{
    public const string Name = "skeleton services";
}

/// <summary>Everything a migration can change, as comparable lines: tables, columns, indexes, constraints, history.</summary>
public static class Schema
{
    private const string Sql = """
        SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
               || ' null=' || is_nullable || ' default=' || coalesce(column_default, '')
          FROM information_schema.columns
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'index ' || schemaname || '.' || indexname || ' ' || indexdef
          FROM pg_indexes
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'constraint ' || n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        """;

    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        await using (var command = new NpgsqlCommand(Sql, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        }

        await using (var exists = new NpgsqlCommand("SELECT to_regclass('public.\"__EFMigrationsHistory\"') IS NOT NULL", connection))
        {
            if ((bool)(await exists.ExecuteScalarAsync())!)
            {
                await using var history = new NpgsqlCommand(
                    "SELECT 'migration ' || migration_id || ' ' || product_version FROM \"__EFMigrationsHistory\"", connection);
                await using var reader = await history.ExecuteReaderAsync();
                while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
