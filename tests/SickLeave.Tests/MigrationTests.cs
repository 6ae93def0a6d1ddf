using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Tests;

[Collection(SickLeaveCollection.Name)]
public sealed class MigrationTests(SickLeaveApp app)
{
    [Fact]
    public async Task The_model_has_no_changes_without_a_migration_and_every_migration_is_applied()
    {
        await app.WithDbAsync(async db =>
        {
            db.Database.HasPendingModelChanges().ShouldBeFalse();
            (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
            (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        });
    }
}
