using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Data;

/// <summary>
/// Applies pending migrations in StartAsync, which the host awaits before Kestrel starts listening, so no request
/// ever sees an old schema. Several instances may start together: EF's Npgsql provider locks the migrations history
/// table (LOCK TABLE ... ACCESS EXCLUSIVE) while it migrates, so they apply each migration once. A change of data
/// that SQL cannot make (sealing clear text with keys from the HSM) is an <see cref="IMigrationDataStep{TDb}"/>: it runs
/// after its migration and before the next one is applied.
/// </summary>
internal sealed class MigrationHostedService<TDb>(IServiceScopeFactory scopes, ILogger<MigrationHostedService<TDb>> logger) : IHostedService
    where TDb : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var started = Stopwatch.StartNew();
        await MigrationHistory.UseSnakeCaseColumnsAsync(db, cancellationToken);
        await CreateHistoryTableAsync(db, cancellationToken);
        var migrator = db.GetService<IMigrator>();
        foreach (var step in scope.ServiceProvider.GetServices<IMigrationDataStep<TDb>>().OrderBy(s => s.AfterMigration, StringComparer.Ordinal))
        {
            // Due when a migration after its own is still pending: applied up to its migration, it runs, then the rest.
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (!pending.Any(m => string.CompareOrdinal(m, step.AfterMigration) > 0)) continue;
            await migrator.MigrateAsync(step.AfterMigration, cancellationToken);
            var stepStarted = Stopwatch.StartNew();
            await step.RunAsync(db, cancellationToken);
            logger.LogInformation("Data step {Step} after migration {Migration} done ({ElapsedMs} ms)",
                step.GetType().Name, step.AfterMigration, stepStarted.ElapsedMilliseconds);
        }
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database of {DbContext} is at migration {Migration} ({ElapsedMs} ms)",
            typeof(TDb).Name, db.Database.GetMigrations().LastOrDefault() ?? "(none)", started.ElapsedMilliseconds);
    }

    /// <summary>
    /// Npgsql's MigrateAsync first SELECTs from the history table and logs that failure as an error on a new database;
    /// creating the table beforehand keeps the start-up log clean.
    /// </summary>
    private static async Task CreateHistoryTableAsync(TDb db, CancellationToken cancellationToken)
    {
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)) return; // MigrateAsync creates it
        var history = db.GetService<IHistoryRepository>();
        try
        {
            await history.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another instance created it at the same moment: exactly what we wanted.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// A change of data between two migrations that SQL alone cannot make. Runs once the database is at
/// <see cref="AfterMigration"/> while a later migration is pending; it must be safe to run again after a crash.
/// </summary>
public interface IMigrationDataStep<in TDb> where TDb : DbContext
{
    /// <summary>The full id of the migration it follows, e.g. "20261207170117_SealMedicalContent".</summary>
    string AfterMigration { get; }

    Task RunAsync(TDb db, CancellationToken ct);
}
