using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// A database made by the version before the snake_case naming convention migrates in place: its rows, written with
/// the old names, are read back through the DbContext afterwards.
/// </summary>
public sealed class OldDatabaseMigrationTests
{
    [Fact]
    public async Task An_immunizations_database_of_the_previous_version_keeps_its_rows()
    {
        var patient = Guid.NewGuid();
        var organization = Guid.NewGuid();
        var factory = new ImmunizationsDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "VaccinationPlans", $"""
            INSERT INTO known_patients ("PatientId", "Snils", "BirthDate", "RegisteredAt") VALUES ('{patient}', '11223344595', DATE '1990-05-01', now());
            INSERT INTO immunizations ("Id", "PatientId", "OrganizationId", "OrganizationName", "VaccineCode", "VaccineName", "Disease",
                "AdministeredOn", "RecordedAt")
            VALUES (gen_random_uuid(), '{patient}', '{organization}', 'ГБУЗ «Городская поликлиника № 1»', 'J07BX03', 'Спутник V',
                'COVID-19', DATE '2021-03-01', now());
            INSERT INTO vaccination_plans ("Id", "PatientId", "OrganizationId", "OrganizationName", "ExternalId", "Disease", "DueOn",
                "CreatedAt", "UpdatedAt")
            VALUES (gen_random_uuid(), '{patient}', '{organization}', 'ГБУЗ «Городская поликлиника № 1»', 'plan-1', 'Грипп',
                DATE '2030-10-01', now(), now());
            """);

        await using (var db = OldDatabase.Open(factory, cs))
        {
            await MigrationHistory.UseSnakeCaseColumnsAsync(db, CancellationToken.None);
            await db.Database.MigrateAsync();
        }

        await using var upgraded = OldDatabase.Open(factory, cs);
        upgraded.Database.HasPendingModelChanges().ShouldBeFalse();
        (await upgraded.Database.GetAppliedMigrationsAsync()).ShouldBe(upgraded.Database.GetMigrations());
        (await upgraded.KnownPatients.Where(p => p.PatientId == patient).Select(p => p.Snils).SingleAsync()).ShouldBe("11223344595");
        (await upgraded.Immunizations.Where(i => i.PatientId == patient).Select(i => i.VaccineName).SingleAsync()).ShouldBe("Спутник V");
        (await upgraded.VaccinationPlans.Where(p => p.PatientId == patient && p.NotifiedAt == null && p.DoneAt == null)
            .Select(p => p.DueOn).SingleAsync()).ShouldBe(new DateOnly(2030, 10, 1));
    }
}
