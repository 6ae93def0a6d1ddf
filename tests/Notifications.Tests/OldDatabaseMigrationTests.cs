using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// A database made by the version before the snake_case naming convention migrates in place: its rows, written with
/// the old names, are read back through the DbContext afterwards.
/// </summary>
public sealed class OldDatabaseMigrationTests
{
    [Fact]
    public async Task A_notifications_database_of_the_previous_version_keeps_its_rows()
    {
        var patient = Guid.NewGuid();
        var notification = Guid.NewGuid();
        var appointment = Guid.NewGuid();
        var factory = new NotificationsDbFactory();
        var cs = await OldDatabase.CreateAsync(factory, "ChannelsAndReminders", $"""
            INSERT INTO recipients ("PersonId", "Email", "Phone", "UpdatedAt") VALUES ('{patient}', 'anna@example.ru', '+79990000000', now());
            INSERT INTO notifications ("Id", "PatientId", "Category", "Title", "Body", "CreatedAt")
            VALUES ('{notification}', '{patient}', 'appointments', 'Запись к врачу', 'Вы записаны к терапевту.', now());
            INSERT INTO deliveries ("Id", "NotificationId", "PatientId", "RecipientId", "Channel", "Destination", "Text", "Status",
                "Attempts", "NotBefore", "CreatedAt")
            VALUES (gen_random_uuid(), '{notification}', '{patient}', '{patient}', 'sms', '+79990000000', 'Вы записаны к терапевту.',
                'pending', 0, now(), now());
            INSERT INTO appointment_reminders ("Id", "AppointmentId", "PatientId", "Kind", "DueAt", "StartsAt", "Status", "Appointment", "UpdatedAt")
            VALUES (gen_random_uuid(), '{appointment}', '{patient}', 'day', now() + interval '1 hour', now() + interval '25 hours',
                'pending', jsonb_build_object('id', '{appointment}'), now());
            """);

        await using (var db = OldDatabase.Open(factory, cs))
        {
            await MigrationHistory.UseSnakeCaseColumnsAsync(db, CancellationToken.None);
            await db.Database.MigrateAsync();
        }

        await using var upgraded = OldDatabase.Open(factory, cs);
        upgraded.Database.HasPendingModelChanges().ShouldBeFalse();
        (await upgraded.Database.GetAppliedMigrationsAsync()).ShouldBe(upgraded.Database.GetMigrations());
        (await upgraded.Recipients.Where(r => r.PersonId == patient).Select(r => r.Email).SingleAsync()).ShouldBe("anna@example.ru");
        (await upgraded.Notifications.CountAsync(n => n.PatientId == patient && n.ReadAt == null)).ShouldBe(1);
        (await upgraded.Deliveries.Where(d => d.NotificationId == notification).Select(d => d.Destination).SingleAsync()).ShouldBe("+79990000000");
        (await upgraded.Reminders.CountAsync(r => r.AppointmentId == appointment)).ShouldBe(1);
    }
}
