using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Gosuslugi.Health.ServiceDefaults.Data;

/// <summary>
/// The snake_case naming convention also names the migrations history table's columns (migration_id,
/// product_version; EFCore.NamingConventions issue #1), while a database made before the convention has EF's
/// "MigrationId" and "ProductVersion". Renamed in place before migrating, so that EF finds what is already applied.
/// </summary>
public static class MigrationHistory
{
    private const string RenameSql = """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = current_schema() AND table_name = '__EFMigrationsHistory'
                         AND column_name = 'MigrationId') THEN
                ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN "MigrationId" TO migration_id;
                ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN "ProductVersion" TO product_version;
            END IF;
        EXCEPTION WHEN undefined_column THEN
            NULL; -- another instance renamed them at the same moment
        END;
        $$;
        """;

    public static async Task UseSnakeCaseColumnsAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)) return; // a new database: MigrateAsync creates it
        await db.Database.ExecuteSqlRawAsync(RenameSql, cancellationToken);
    }
}
