using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

public sealed class DatabaseTests
{
    [Fact]
    public void Model_has_no_changes_without_a_migration()
    {
        using var db = new TestDb(new DbContextOptionsBuilder<TestDb>().UseNpgsql("Host=127.0.0.1;Database=none").UseSnakeCaseNamingConvention().Options);
        db.Database.HasPendingModelChanges().ShouldBeFalse();
    }

    [Fact]
    public async Task Migrations_apply_on_an_empty_database_at_start_up_and_a_second_start_changes_nothing()
    {
        var servers = await TestServers.GetAsync();
        var cs = await servers.Postgres.CreateDatabaseAsync();
        var config = new Dictionary<string, string?> { ["ConnectionStrings:testdb"] = cs };

        await using (var first = await TestHost.StartAsync(config, b => b.AddServiceDatabase<TestDb>("testdb")))
        {
            // StartAsync returned: migrations ran before the host accepted requests.
            (await Tables(cs)).ShouldBe(["__EFMigrationsHistory", "inbox_messages", "items", "outbox_messages"]);
            (await AppliedMigrations(cs)).ShouldHaveSingleItem().ShouldEndWith("_Initial");
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDb>();
            db.Items.Add(new Item { Id = Guid.CreateVersion7(), Name = "kept", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            await first.StopAsync();
        }

        await using (var second = await TestHost.StartAsync(config, b => b.AddServiceDatabase<TestDb>("testdb")))
        {
            (await AppliedMigrations(cs)).Count.ShouldBe(1);
            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDb>();
            (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
            (await db.Items.SingleAsync()).Name.ShouldBe("kept");
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task Instances_starting_together_migrate_once()
    {
        var servers = await TestServers.GetAsync();
        var cs = await servers.Postgres.CreateDatabaseAsync();
        var config = new Dictionary<string, string?> { ["ConnectionStrings:testdb"] = cs };
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestHost.StartAsync(config, b => b.AddServiceDatabase<TestDb>("testdb"))));
        foreach (var host in hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
        (await AppliedMigrations(cs)).Count.ShouldBe(1);
    }

    private static async Task<List<string>> Tables(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }

    private static async Task<List<string>> AppliedMigrations(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT migration_id FROM \"__EFMigrationsHistory\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }
}
