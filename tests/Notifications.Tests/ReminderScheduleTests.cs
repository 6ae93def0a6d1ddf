using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;
using Gosuslugi.Health.Notifications.Reminders;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>The Notifications service on a clock the test moves.</summary>
public sealed class ReminderClockApp() : ServiceUnderTest<Program, NotificationsDb>("notifications")
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        // The tests sweep themselves (ReminderSweep.SendDueAsync): a background round racing them for the same rows
        // would make "sent by now" depend on timing. Its timer runs on the fake clock, which these tests move a few
        // days at most (Task.Delay refuses more than ~49 days).
        web.UseSetting("Notifications:Reminders:Interval", "40.00:00:00");
        web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task<int> SendDueAsync() => WithDbAsync(db => ReminderSweep.SendDueAsync(db, Clock));

    public Task<List<AppointmentReminder>> RemindersAsync(Guid appointmentId) => WithDbAsync(db =>
        db.Reminders.AsNoTracking().Where(r => r.AppointmentId == appointmentId).OrderBy(r => r.DueAt).ToListAsync());

    public Task<List<Notification>> RemindersSentToAsync(Guid patientId) => WithDbAsync(db =>
        db.Notifications.AsNoTracking()
            .Where(n => n.PatientId == patientId && n.Category == NotificationCategories.Reminder)
            .OrderBy(n => n.CreatedAt).ToListAsync());

    /// <summary>Waits until the appointment's reminders satisfy <paramref name="condition"/> (the consumer ran).</summary>
    public async Task<List<AppointmentReminder>> WaitForRemindersAsync(Guid appointmentId,
        Func<List<AppointmentReminder>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var reminders = await RemindersAsync(appointmentId);
            if (condition(reminders)) return reminders;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reminders of {appointmentId}: " +
                    string.Join(", ", reminders.Select(r => $"{r.Kind} {r.Status} {r.DueAt:O}")));
            }
            await Task.Delay(50);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReminderClockCollection : ICollectionFixture<ReminderClockApp>
{
    public const string Name = "notification-reminders-clock";
}

[Collection(ReminderClockCollection.Name)]
public sealed class ReminderScheduleTests(ReminderClockApp app)
{
    /// <summary>Now in whole seconds: times read back from PostgreSQL (microseconds) then compare equal.</summary>
    private DateTimeOffset Now()
    {
        var now = app.Clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond));
    }

    private AppointmentBooked Booked(Guid patientId, TimeSpan ahead) => new(
        Guid.CreateVersion7(), patientId, Guid.CreateVersion7(), "ГБУЗ «Городская поликлиника № 3»",
        Guid.CreateVersion7(), "Иванова Мария Петровна", "Терапевт", Now() + ahead, false,
        app.Clock.GetUtcNow(), Address: "Москва, ул. Ленина, 1, каб. 12", ChangedBy: AppointmentChangedBy.Patient);

    private static bool Has(List<AppointmentReminder> reminders, string status, int count = 2) =>
        reminders.Count == 2 && reminders.Count(r => r.Status == status) == count;

    [Fact]
    public async Task A_booking_sends_the_24_hour_and_the_2_hour_reminders_at_their_times_and_not_before()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromDays(3));
        await app.Bus.Publish(booked);

        var reminders = await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Pending));
        reminders.Select(r => (r.Kind, r.DueAt)).ShouldBe(
        [
            (ReminderKinds.DayBefore, booked.StartsAt.AddHours(-24)),
            (ReminderKinds.TwoHoursBefore, booked.StartsAt.AddHours(-2)),
        ]);

        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).ShouldBeEmpty();

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-24).AddMinutes(-1));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).ShouldBeEmpty("a minute early");

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-24));
        await app.SendDueAsync();
        var dayBefore = (await app.RemindersSentToAsync(patientId)).ShouldHaveSingleItem();
        var text = NotificationTexts.AppointmentReminder(booked, ReminderKinds.DayBefore);
        dayBefore.Title.ShouldBe(text.Title);
        dayBefore.Body.ShouldBe(text.Body);
        dayBefore.Link.ShouldBe($"/api/v1/appointments/{booked.AppointmentId}");

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-2).AddMinutes(-1));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).Count.ShouldBe(1);

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-2).AddSeconds(30));
        await app.SendDueAsync();
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).Count.ShouldBe(2);
        (await app.RemindersAsync(booked.AppointmentId)).ShouldAllBe(r => r.Status == ReminderStatuses.Sent && r.SentAt != null);
    }

    [Fact]
    public async Task A_booking_an_hour_ahead_sends_no_reminder_whose_time_has_passed()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromHours(1));
        await app.Bus.Publish(booked);

        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Withdrawn));
        await app.SendDueAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_booking_five_hours_ahead_sends_only_the_2_hour_reminder()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromHours(5));
        await app.Bus.Publish(booked);

        var reminders = await app.WaitForRemindersAsync(booked.AppointmentId, r => r.Count == 2);
        reminders.Single(r => r.Kind == ReminderKinds.DayBefore).Status.ShouldBe(ReminderStatuses.Withdrawn);
        reminders.Single(r => r.Kind == ReminderKinds.TwoHoursBefore).Status.ShouldBe(ReminderStatuses.Pending);

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-2));
        await app.SendDueAsync();
        var sent = (await app.RemindersSentToAsync(patientId)).ShouldHaveSingleItem();
        sent.Body.ShouldBe(NotificationTexts.AppointmentReminder(booked, ReminderKinds.TwoHoursBefore).Body);
    }

    [Fact]
    public async Task A_cancellation_withdraws_the_pending_reminders()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromDays(2));
        await app.Bus.Publish(booked);
        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Pending));

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.Bus.Publish(new AppointmentCancelled(booked.AppointmentId, patientId, booked.OrganizationId,
            "Передумал", app.Clock.GetUtcNow(), booked.OrganizationName, booked.DoctorName, booked.Specialty,
            booked.StartsAt, AppointmentChangedBy.Patient));
        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Withdrawn));

        app.Clock.SetUtcNow(booked.StartsAt.AddMinutes(-90));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_its_booking_leaves_nothing_to_send()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromDays(2));
        await app.Bus.Publish(new AppointmentCancelled(booked.AppointmentId, patientId, booked.OrganizationId,
            null, booked.OccurredAt.AddMinutes(1), StartsAt: booked.StartsAt));
        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Withdrawn));

        var bookedId = Guid.CreateVersion7();
        await app.Bus.Publish(booked, context => context.MessageId = bookedId);
        await WaitUntilProcessedAsync(bookedId);
        (await app.RemindersAsync(booked.AppointmentId)).ShouldAllBe(r => r.Status == ReminderStatuses.Withdrawn);
    }

    [Fact]
    public async Task A_move_reschedules_the_reminders_and_re_arms_the_one_already_sent()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromDays(2));
        await app.Bus.Publish(booked);
        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Pending));

        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-23));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).Count.ShouldBe(1);

        // Moved two days later.
        var moved = booked with
        {
            StartsAt = booked.StartsAt.AddDays(2),
            PreviousStartsAt = booked.StartsAt,
            OccurredAt = app.Clock.GetUtcNow(),
            ChangedBy = AppointmentChangedBy.Organization,
            Reason = "Врач на больничном",
        };
        await app.Bus.Publish(moved);
        var reminders = await app.WaitForRemindersAsync(booked.AppointmentId,
            r => Has(r, ReminderStatuses.Pending) && r.All(x => x.StartsAt == moved.StartsAt));
        reminders.Select(r => r.DueAt).ShouldBe([moved.StartsAt.AddHours(-24), moved.StartsAt.AddHours(-2)]);

        // Nothing at the old 2-hour time.
        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-2));
        await app.SendDueAsync();
        (await app.RemindersSentToAsync(patientId)).Count.ShouldBe(1);

        // An older event arriving late changes nothing.
        var staleId = Guid.CreateVersion7();
        await app.Bus.Publish(booked, context => context.MessageId = staleId);
        await WaitUntilProcessedAsync(staleId);
        (await app.RemindersAsync(booked.AppointmentId)).ShouldAllBe(r => r.StartsAt == moved.StartsAt);

        app.Clock.SetUtcNow(moved.StartsAt.AddHours(-24));
        await app.SendDueAsync();
        app.Clock.SetUtcNow(moved.StartsAt.AddHours(-2));
        await app.SendDueAsync();
        var sent = await app.RemindersSentToAsync(patientId);
        sent.Count.ShouldBe(3);
        sent[1].Body.ShouldBe(NotificationTexts.AppointmentReminder(moved, ReminderKinds.DayBefore).Body);
        sent[2].Body.ShouldBe(NotificationTexts.AppointmentReminder(moved, ReminderKinds.TwoHoursBefore).Body);
    }

    [Fact]
    public async Task The_same_booking_delivered_again_does_not_re_arm_a_sent_reminder()
    {
        var patientId = Guid.CreateVersion7();
        var booked = Booked(patientId, TimeSpan.FromDays(2));
        await app.Bus.Publish(booked);
        await app.WaitForRemindersAsync(booked.AppointmentId, r => Has(r, ReminderStatuses.Pending));
        app.Clock.SetUtcNow(booked.StartsAt.AddHours(-24));
        await app.SendDueAsync();

        var againId = Guid.CreateVersion7();
        await app.Bus.Publish(booked, context => context.MessageId = againId);
        await WaitUntilProcessedAsync(againId);
        await app.SendDueAsync();

        (await app.RemindersSentToAsync(patientId)).Count.ShouldBe(1);
        (await app.RemindersAsync(booked.AppointmentId)).Single(r => r.Kind == ReminderKinds.DayBefore)
            .Status.ShouldBe(ReminderStatuses.Sent);
    }

    /// <summary>The reminders' consumer recorded the message in the inbox (it commits with the consumer's effect).</summary>
    private async Task WaitUntilProcessedAsync(Guid messageId)
    {
        var consumer = typeof(ReminderBookedConsumer).FullName!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await app.WithDbAsync(db => db.Database
                   .SqlQuery<int>($"SELECT 1 AS \"Value\" FROM inbox_messages WHERE message_id = {messageId} AND consumer = {consumer}")
                   .AnyAsync()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Message {messageId} was not processed.");
            await Task.Delay(50);
        }
    }
}
