using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// A database as a version before the snake_case naming convention left it (a <c>.data/</c> of a previous release):
/// migrated up to <c>lastOldMigration</c>, with EF's own history columns ("MigrationId", "ProductVersion"), and
/// rows that the test writes with the old names.
/// </summary>
public static class OldDatabase
{
    public static async Task<string> CreateAsync<TDb>(IDesignTimeDbContextFactory<TDb> factory, string lastOldMigration, string rowsSql)
        where TDb : DbContext
    {
        var servers = await TestServers.GetAsync();
        var connectionString = await servers.Postgres.CreateDatabaseAsync("old_" + typeof(TDb).Name.ToLowerInvariant());
        await using (var db = Open(factory, connectionString))
        {
            await db.GetService<IMigrator>().MigrateAsync(lastOldMigration);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN migration_id TO "MigrationId";
            ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN product_version TO "ProductVersion";
            {rowsSql}
            """, connection);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>The service's DbContext (from its design-time factory, as <c>dotnet ef</c> builds it) on <paramref name="connectionString"/>.</summary>
    public static TDb Open<TDb>(IDesignTimeDbContextFactory<TDb> factory, string connectionString) where TDb : DbContext
    {
        var db = factory.CreateDbContext([]);
        db.Database.SetConnectionString(connectionString);
        return db;
    }
}
