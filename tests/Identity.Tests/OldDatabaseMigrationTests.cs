using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests;

/// <summary>
/// A database made by the version before the snake_case naming convention (identity's own renaming helper) migrates
/// in place: its rows are read back through the DbContext afterwards, and the renamed keys still hold.
/// </summary>
public sealed class OldDatabaseMigrationTests
{
    [Fact]
    public async Task An_identity_database_of_the_previous_version_keeps_its_rows()
    {
        var user = Guid.NewGuid();
        var role = Guid.NewGuid();
        var factory = new IdentityDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "Passkeys", $"""
            INSERT INTO users (id, user_name, normalized_user_name, family_name, given_name, level, created_at, access_failed_count,
                consecutive_lockouts, email_confirmed, is_managed_by_guardian, lockout_enabled, phone_number_confirmed, two_factor_enabled,
                snils, phone_number)
            VALUES ('{user}', 'anna', 'ANNA', 'Смирнова', 'Анна', 'Confirmed', now(), 0, 0, FALSE, FALSE, TRUE, TRUE, FALSE,
                '11223344595', '+79990000000');
            INSERT INTO roles (id, name, normalized_name) VALUES ('{role}', 'doctor', 'DOCTOR');
            INSERT INTO user_roles (user_id, role_id) VALUES ('{user}', '{role}');
            INSERT INTO sessions (id, user_id, authentication_methods, created_at, last_seen_at)
            VALUES (gen_random_uuid(), '{user}', 'pwd', now(), now());
            """);

        await using (var db = OldDatabase.Open(factory, cs))
        {
            await MigrationHistory.UseSnakeCaseColumnsAsync(db, CancellationToken.None);
            await db.Database.MigrateAsync();
        }

        await using var upgraded = OldDatabase.Open(factory, cs);
        upgraded.Database.HasPendingModelChanges().ShouldBeFalse();
        (await upgraded.Database.GetAppliedMigrationsAsync()).ShouldBe(upgraded.Database.GetMigrations());
        (await upgraded.Users.Where(u => u.NormalizedUserName == "ANNA").Select(u => new { u.Id, u.Snils, u.FamilyName }).SingleAsync())
            .ShouldBe(new { Id = user, Snils = (string?)"11223344595", FamilyName = "Смирнова" });
        (await upgraded.UserRoles.CountAsync(r => r.UserId == user && r.RoleId == role)).ShouldBe(1);
        (await upgraded.Sessions.CountAsync(s => s.UserId == user)).ShouldBe(1);
        // The foreign keys were re-created: a role of a user that does not exist is refused.
        var refused = await Should.ThrowAsync<Npgsql.PostgresException>(() =>
            upgraded.Database.ExecuteSqlAsync($"INSERT INTO user_roles (user_id, role_id) VALUES ({Guid.NewGuid()}, {role})"));
        refused.SqlState.ShouldBe(Npgsql.PostgresErrorCodes.ForeignKeyViolation);
    }
}
