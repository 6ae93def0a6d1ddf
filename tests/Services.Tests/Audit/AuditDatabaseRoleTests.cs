using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gosuslugi.Health.Services.Tests.Audit;

/// <summary>
/// The restricted role the way the AppHost runs it: a PostgreSQL server with password (scram) authentication, and only
/// the owner's connection string given to the service. It migrates as the owner, then logs in as audit_writer with the
/// password it derived and set.
/// </summary>
public sealed class AuditDatabaseRoleTests
{
    [Fact]
    public async Task On_a_password_protected_server_the_service_migrates_as_owner_and_works_as_the_writer_role()
    {
        var servers = await TestServers.GetAsync();
        await using var postgres = await PostgresServer.StartAsync(new PostgresServerOptions { Password = "owner-" + Guid.NewGuid().ToString("N") });
        var owner = await postgres.CreateDatabaseAsync("audit");
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync();
        await using var issuer = await TestTokenIssuer.StartAsync();

        await using var factory = new WebApplicationFactory<AuditDb>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:auditdb", owner);
            web.UseSetting("ConnectionStrings:rabbitmq", rabbit);
            web.UseSetting("ConnectionStrings:redis", servers.Redis.ConnectionString);
            foreach (var (key, value) in issuer.Configuration) web.UseSetting(key, value);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        using var client = factory.CreateClient();
        await AuditApp.EventuallyAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, "the service ready");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuditDb>();
            (await db.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync()).ShouldBe(AuditDatabaseRoles.WriterRole);
            (await db.AccessEvents.CountAsync()).ShouldBe(0);
            (await Should.ThrowAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM access_events")))
                .SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        }

        // The role really authenticates: without the derived password it is refused.
        var wrong = new NpgsqlConnectionStringBuilder(owner) { Username = AuditDatabaseRoles.WriterRole, Password = "guess", Pooling = false };
        await using var guess = new NpgsqlConnection(wrong.ConnectionString);
        (await Should.ThrowAsync<PostgresException>(() => guess.OpenAsync())).SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }
}
