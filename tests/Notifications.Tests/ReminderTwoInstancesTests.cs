using System.Text.Json;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Reminders;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>The Notifications service with a reminder sweeper that runs every 100 ms.</summary>
public sealed class FastReminderApp() : ServiceUnderTest<Program, NotificationsDb>("notifications")
{
    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        web.UseSetting("Notifications:Reminders:Interval", "00:00:00.100");
        web.UseSetting("Notifications:Reminders:BatchSize", "10");
    }
}

[CollectionDefinition(Name)]
public sealed class FastReminderCollection : ICollectionFixture<FastReminderApp>
{
    public const string Name = "notification-reminders-fast";
}

[Collection(FastReminderCollection.Name)]
public sealed class ReminderTwoInstancesTests(FastReminderApp app)
{
    [Fact]
    public async Task Two_instances_sweeping_side_by_side_send_each_reminder_exactly_once()
    {
        var second = await app.StartAnotherInstanceAsync();
        var now = DateTimeOffset.UtcNow;
        var patients = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToList();
        var reminders = new List<AppointmentReminder>();
        for (var i = 0; i < 300; i++)
        {
            var patientId = patients[i % patients.Count];
            var startsAt = now.AddHours(1).AddMinutes(i % 50);
            var booked = new AppointmentBooked(Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "Поликлиника № 7",
                Guid.CreateVersion7(), "Петров Пётр", "Терапевт", startsAt, false, now);
            reminders.Add(new AppointmentReminder
            {
                Id = Guid.CreateVersion7(),
                AppointmentId = booked.AppointmentId,
                PatientId = patientId,
                Kind = ReminderKinds.TwoHoursBefore,
                DueAt = now.AddSeconds(-1),
                StartsAt = startsAt,
                Appointment = JsonSerializer.Serialize(booked, JsonSerializerOptions.Web),
                Status = ReminderStatuses.Pending,
                UpdatedAt = now,
            });
        }

        // Besides the two background sweepers, each instance also sweeps from the test in parallel loops.
        async Task SweepFromAsync(IServiceProvider services)
        {
            var time = services.GetRequiredService<TimeProvider>();
            for (var round = 0; round < 20; round++)
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
                if (await ReminderSweep.SendDueAsync(db, time, 7) == 0) await Task.Delay(20);
            }
        }

        await app.WithDbAsync(async db =>
        {
            db.Reminders.AddRange(reminders);
            await db.SaveChangesAsync();
        });
        await Task.WhenAll(
            SweepFromAsync(app.Factory.Services), SweepFromAsync(second.Services),
            SweepFromAsync(app.Factory.Services), SweepFromAsync(second.Services));

        var ids = reminders.Select(r => r.Id).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        int pending;
        do
        {
            pending = await app.WithDbAsync(db => db.Reminders.CountAsync(r => ids.Contains(r.Id) && r.Status != ReminderStatuses.Sent));
            if (pending > 0) await Task.Delay(200);
        }
        while (pending > 0 && DateTime.UtcNow < deadline);
        pending.ShouldBe(0);

        var sourceIds = reminders.Select(ReminderSweep.SourceIdOf).ToList();
        var notified = await app.WithDbAsync(db => db.Notifications
            .Where(n => n.Category == NotificationCategories.Reminder && patients.Contains(n.PatientId))
            .Select(n => n.SourceId!.Value)
            .ToListAsync());
        notified.Count.ShouldBe(reminders.Count);
        notified.ShouldBe(sourceIds, ignoreOrder: true);
    }
}
