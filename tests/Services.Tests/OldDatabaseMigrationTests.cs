using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Gosuslugi.Health.Services.Tests;

/// <summary>
/// A database made by the version before the snake_case naming convention migrates in place: its rows, written with
/// the old names, are read back through the DbContext afterwards.
/// </summary>
public sealed class OldDatabaseMigrationTests
{
    private static readonly Guid Patient = Guid.Parse("0d7c2a4e-4f0b-4a53-9a59-3b1f8d0c9a01");
    private static readonly Guid Organization = Guid.Parse("5b3e9f7c-2d1a-4c8e-8f60-7a2b1c0d9e02");
    private static readonly Guid Item = Guid.Parse("9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c03");

    [Fact]
    public async Task An_appointments_database_of_the_previous_version_keeps_its_rows()
    {
        var slot = Guid.NewGuid();
        var appointment = Guid.NewGuid();
        var factory = new AppointmentsDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "Appointments", $"""
            INSERT INTO organizations ("Id", "Name", "Kind", "Address", "Phone", "UpdatedAt")
            VALUES ('{Organization}', 'ГБУЗ «Городская поликлиника № 1»', 'clinic', 'Москва', '+74950000000', now());
            INSERT INTO slots ("Id", "OrganizationId", "DoctorId", "SpecialtyCode", "StartsAt", "EndsAt", "Telemedicine", "Closed", "CreatedAt")
            VALUES ('{slot}', '{Organization}', gen_random_uuid(), '27', now() + interval '1 day', now() + interval '1 day 20 minutes', FALSE, FALSE, now());
            INSERT INTO appointments ("Id", "PatientId", "SlotId", "OrganizationId", "DoctorId", "StartsAt", "EndsAt", "Telemedicine",
                                      "Status", "BookedBy", "BookedAt", "UpdatedAt")
            VALUES ('{appointment}', '{Patient}', '{slot}', '{Organization}', gen_random_uuid(), now() + interval '1 day',
                    now() + interval '1 day 20 minutes', FALSE, 'booked', '{Patient}', now(), now());
            INSERT INTO appointment_changes ("Id", "AppointmentId", "Kind", "At", "By", "ByRole")
            VALUES (gen_random_uuid(), '{appointment}', 'booked', now(), '{Patient}', 'patient');
            INSERT INTO known_patients ("PatientId", "Snils", "AccountLevel") VALUES ('{Patient}', '11223344595', 'Confirmed');
            """);

        await using var db = await UpgradeAsync(factory, cs);
        (await db.Organizations.Where(o => o.Id == Organization).Select(o => o.Name).SingleAsync()).ShouldBe("ГБУЗ «Городская поликлиника № 1»");
        (await db.Appointments.Where(a => a.SlotId == slot).Select(a => new { a.Id, a.PatientId, a.Status }).SingleAsync())
            .ShouldBe(new { Id = appointment, PatientId = Patient, Status = "booked" });
        (await db.AppointmentChanges.CountAsync(c => c.AppointmentId == appointment)).ShouldBe(1);
        (await db.KnownPatients.Where(p => p.PatientId == Patient).Select(p => p.AccountLevel).SingleAsync()).ShouldBe("Confirmed");
        // The partial unique index was recreated with the new names: a second live booking of the slot is refused.
        var refused = await Should.ThrowAsync<PostgresException>(() => db.Database.ExecuteSqlAsync($"""
            INSERT INTO appointments (id, patient_id, slot_id, organization_id, doctor_id, starts_at, ends_at, telemedicine,
                                      status, booked_by, booked_at, updated_at)
            VALUES (gen_random_uuid(), gen_random_uuid(), {slot}, {Organization}, gen_random_uuid(), now(), now(), FALSE,
                    'booked', gen_random_uuid(), now(), now())
            """));
        refused.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task A_records_database_of_the_previous_version_keeps_its_rows()
    {
        var factory = new RecordsDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "PreventiveExamReminders", $"""
            INSERT INTO record_items ("Id", "RecordId", "Version", "IsCurrent", "PatientId", "OrganizationId", "OrganizationName",
                "ExternalId", "Kind", "ResourceType", "Status", "Title", "EffectiveAt", "Sections", "DiagnosisCodes", "Details",
                "ContentHash", "SubmittedBy", "ReceivedAt", "HasDocument")
            VALUES ('{Item}', gen_random_uuid(), 1, TRUE, '{Patient}', '{Organization}', 'ГБУЗ «Городская поликлиника № 1»',
                'lab-1', 'lab_result', 'DiagnosticReport', 'final', 'Общий анализ крови', now(), ARRAY['lab_results'], ARRAY['D50'],
                jsonb_build_object('kind', 'lab'), repeat('0', 64), 'test-client', now(), FALSE);
            INSERT INTO observations ("Id", "ItemId", "PatientId", "Position", "AnalyteCode", "AnalyteName", "Value", "Unit",
                "Interpretation", "TakenAt", "IsCurrent")
            VALUES (gen_random_uuid(), '{Item}', '{Patient}', 0, '718-7', 'Гемоглобин', 128.5, 'g/L', 'normal', now(), TRUE);
            INSERT INTO analyte_thresholds ("PatientId", "AnalyteCode", "Low", "High", "UpdatedAt")
            VALUES ('{Patient}', '718-7', 120, 160, now());
            """);

        // Up to the renaming only: the next migrations seal the content with keys from the HSM, which the service does
        // at start-up (Records.Tests: EncryptionAtRestTests).
        await using var db = await UpgradeAsync(factory, cs, "20261206222800_SnakeCaseNames");
        (await db.Database.SqlQuery<string>($"SELECT title || '|' || is_current || '|' || external_id AS \"Value\" FROM record_items WHERE id = {Item}").SingleAsync())
            .ShouldBe("Общий анализ крови|true|lab-1");
        (await db.Database.SqlQuery<decimal>($"SELECT value AS \"Value\" FROM observations WHERE item_id = {Item}").SingleAsync()).ShouldBe(128.5m);
        (await db.Thresholds.Where(t => t.PatientId == Patient).Select(t => t.High).SingleAsync()).ShouldBe(160m);
    }

    [Fact]
    public async Task A_disputes_database_of_the_previous_version_keeps_its_rows()
    {
        var request = Guid.NewGuid();
        var factory = new DisputesDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "DataRequests", $"""
            INSERT INTO data_requests ("Id", "PatientId", "OrganizationId", "OrganizationName", "DataKind", "PeriodFrom", "PeriodTo",
                "Status", "SubmittedAt", "DueAt", "UpdatedAt")
            VALUES ('{request}', '{Patient}', '{Organization}', 'ГБУЗ «Городская поликлиника № 1»', 'visits', DATE '2024-01-01',
                DATE '2024-12-31', 'submitted', now(), now() + interval '30 days', now());
            INSERT INTO data_request_status_changes ("Id", "RequestId", "Status", "At", "By", "ByRole")
            VALUES (gen_random_uuid(), '{request}', 'submitted', now(), '{Patient}', 'patient');
            """);

        await using var db = await UpgradeAsync(factory, cs);
        (await db.DataRequests.Where(r => r.Id == request).Select(r => new { r.PatientId, r.Status, r.DataKind }).SingleAsync())
            .ShouldBe(new { PatientId = Patient, Status = "submitted", DataKind = "visits" });
        (await db.DataRequestStatusChanges.CountAsync(c => c.RequestId == request)).ShouldBe(1);
    }

    [Fact]
    public async Task An_audit_database_of_the_previous_version_keeps_its_chains()
    {
        var factory = new AuditDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "AccessLog", $"""
            INSERT INTO access_events (patient_id, patient_sequence, event_id, actor_role, service, section, action, purpose,
                outcome, occurred_at, recorded_at, previous_hash, hash)
            VALUES ('{Patient}', 1, gen_random_uuid(), 'patient', 'records', 'visits', 'read', 'просмотр', 'success', now(), now(),
                repeat('0', 64), repeat('a', 64));
            """);

        await using var db = await UpgradeAsync(factory, cs);
        (await db.AccessEvents.Where(e => e.PatientId == Patient).Select(e => e.Hash).SingleAsync()).ShouldBe(new string('a', 64));
    }

    /// <summary>
    /// What the service does at start-up (MigrationHostedService), up to <paramref name="targetMigration"/> if given, then
    /// a fresh DbContext on the result.
    /// </summary>
    private static async Task<TDb> UpgradeAsync<TDb>(DesignTimeDbFactory<TDb> factory, string connectionString,
        string? targetMigration = null) where TDb : DbContext
    {
        await using (var db = OldDatabase.Open(factory, connectionString))
        {
            await MigrationHistory.UseSnakeCaseColumnsAsync(db, CancellationToken.None);
            await db.GetService<IMigrator>().MigrateAsync(targetMigration);
        }

        var upgraded = OldDatabase.Open(factory, connectionString);
        if (targetMigration is not null) return upgraded;
        upgraded.Database.HasPendingModelChanges().ShouldBeFalse();
        (await upgraded.Database.GetAppliedMigrationsAsync()).ShouldBe(upgraded.Database.GetMigrations());
        return upgraded;
    }
}
