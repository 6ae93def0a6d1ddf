using System.Globalization;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;
using Gosuslugi.Health.ServiceDefaults.Data;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Notifications.Reminders;

public static class Reminders
{
    /// <summary>AppointmentBooked / AppointmentCancelled schedule, move and withdraw reminders.</summary>
    /// <remarks>
    /// Own queues: other consumers of the same events (the confirmation, the cancellation notice) live in this
    /// service too, and each must get every message.
    /// </remarks>
    public static IBusRegistrationConfigurator AddReminderConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReminderBookedConsumer>().Endpoint(e => e.Name = "notifications-reminders-appointment-booked");
        bus.AddConsumer<ReminderCancelledConsumer>().Endpoint(e => e.Name = "notifications-reminders-appointment-cancelled");
        return bus;
    }

    /// <summary>The sweeper that sends due reminders.</summary>
    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReminderSweepOptions>().BindConfiguration(ReminderSweepOptions.Section);
        builder.Services.AddHostedService<ReminderSweeper>();
        return builder;
    }
}

/// <summary>When each reminder goes, before the appointment starts.</summary>
public static class ReminderSchedule
{
    public static readonly IReadOnlyList<(string Kind, TimeSpan Before)> Kinds =
    [
        (ReminderKinds.DayBefore, TimeSpan.FromHours(24)),
        (ReminderKinds.TwoHoursBefore, TimeSpan.FromHours(2)),
    ];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// An event's time as PostgreSQL stores it (microseconds): compared with a stored UpdatedAt, the same event must
    /// be equal, not "newer" by the 100-nanosecond ticks the column dropped.
    /// </summary>
    internal static DateTimeOffset AsStored(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>
    /// The appointment's reminders, locked until the caller's transaction ends: a booking, a move and a cancellation
    /// of the same appointment arrive on different queues, and the sweeper may be sending one of them right now.
    /// </summary>
    internal static Task<List<AppointmentReminder>> LockAsync(NotificationsDb db, Guid appointmentId, CancellationToken ct) =>
        db.Reminders
            .FromSql($"""SELECT * FROM appointment_reminders WHERE appointment_id = {appointmentId} FOR UPDATE""")
            .AsTracking()
            .ToListAsync(ct);
}

/// <summary>
/// A booking schedules the 24-hour and 2-hour reminders; a move (the same appointment, a later event) reschedules
/// them, re-arming one already sent for the old time. A reminder whose time has already passed (booked an hour ahead)
/// is withdrawn, not sent late. An event older than the last one applied changes nothing.
/// </summary>
public sealed class ReminderBookedConsumer(NotificationsDb db, TimeProvider time, ILogger<ReminderBookedConsumer> logger)
    : IdempotentConsumer<AppointmentBooked, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AppointmentBooked> context, CancellationToken ct)
    {
        var message = context.Message;
        var occurredAt = ReminderSchedule.AsStored(message.OccurredAt);
        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(message, ReminderSchedule.Json);
        var existing = await ReminderSchedule.LockAsync(Db, message.AppointmentId, ct);

        foreach (var (kind, before) in ReminderSchedule.Kinds)
        {
            var dueAt = message.StartsAt - before;
            var reminder = existing.FirstOrDefault(r => r.Kind == kind);
            if (reminder is null)
            {
                Db.Reminders.Add(new AppointmentReminder
                {
                    Id = Guid.CreateVersion7(now),
                    AppointmentId = message.AppointmentId,
                    PatientId = message.PatientId,
                    Kind = kind,
                    DueAt = dueAt,
                    StartsAt = message.StartsAt,
                    Appointment = json,
                    Status = dueAt > now ? ReminderStatuses.Pending : ReminderStatuses.Withdrawn,
                    UpdatedAt = occurredAt,
                });
                continue;
            }

            if (occurredAt <= reminder.UpdatedAt)
            {
                logger.LogInformation("Reminder {Kind} of appointment {AppointmentId} is newer than the event; unchanged",
                    kind, message.AppointmentId);
                continue;
            }

            reminder.DueAt = dueAt;
            reminder.StartsAt = message.StartsAt;
            reminder.Appointment = json;
            reminder.UpdatedAt = occurredAt;
            if (dueAt > now)
            {
                // For the new time the patient needs the reminder again, even if the old time's one went out.
                reminder.Status = ReminderStatuses.Pending;
                reminder.SentAt = null;
            }
            else if (reminder.Status == ReminderStatuses.Pending)
            {
                reminder.Status = ReminderStatuses.Withdrawn;
            }
        }
    }
}

/// <summary>A cancelled appointment's pending reminders are withdrawn.</summary>
public sealed class ReminderCancelledConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<AppointmentCancelled, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AppointmentCancelled> context, CancellationToken ct)
    {
        var message = context.Message;
        var occurredAt = ReminderSchedule.AsStored(message.OccurredAt);
        var existing = await ReminderSchedule.LockAsync(Db, message.AppointmentId, ct);
        if (existing.Count == 0)
        {
            // The cancellation overtook the booking (different queues): withdrawn rows dated by the cancellation make
            // the older booking, when it arrives, change nothing.
            var startsAt = message.StartsAt ?? message.OccurredAt;
            var json = JsonSerializer.Serialize(message, ReminderSchedule.Json);
            foreach (var (kind, before) in ReminderSchedule.Kinds)
            {
                Db.Reminders.Add(new AppointmentReminder
                {
                    Id = Guid.CreateVersion7(time.GetUtcNow()),
                    AppointmentId = message.AppointmentId,
                    PatientId = message.PatientId,
                    Kind = kind,
                    DueAt = startsAt - before,
                    StartsAt = startsAt,
                    Appointment = json,
                    Status = ReminderStatuses.Withdrawn,
                    UpdatedAt = occurredAt,
                });
            }
            return;
        }

        foreach (var reminder in existing.Where(r => occurredAt > r.UpdatedAt))
        {
            if (reminder.Status == ReminderStatuses.Pending)
            {
                reminder.Status = ReminderStatuses.Withdrawn;
            }
            reminder.UpdatedAt = occurredAt;
        }
    }
}

/// <summary>Sends due reminders to the feed (and, through the feed, to the channels the patient chose).</summary>
public static class ReminderSweep
{
    public const int DefaultBatchSize = 100;

    /// <summary>
    /// One batch in one transaction. Reminders are claimed with FOR UPDATE SKIP LOCKED, so several instances sweep
    /// side by side without sending one twice; the notification, its deliveries and the reminder's new status commit
    /// together.
    /// </summary>
    /// <returns>How many reminders were claimed; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public static async Task<int> SendDueAsync(NotificationsDb db, TimeProvider time, int batchSize = DefaultBatchSize,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Reminders
            .FromSql($"""
                SELECT * FROM appointment_reminders
                WHERE status = 'pending' AND due_at <= {now}
                ORDER BY due_at
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        foreach (var reminder in due)
        {
            if (reminder.StartsAt <= now)
            {
                // The sweep was late (the service was down): a reminder after the appointment began only confuses.
                reminder.Status = ReminderStatuses.Withdrawn;
                continue;
            }

            var appointment = JsonSerializer.Deserialize<AppointmentBooked>(reminder.Appointment, ReminderSchedule.Json)
                ?? throw new InvalidOperationException($"Reminder {reminder.Id} has no appointment.");
            await db.AddOnceAsync(reminder.PatientId, NotificationCategories.Reminder,
                NotificationTexts.AppointmentReminder(appointment, reminder.Kind),
                $"/api/v1/appointments/{reminder.AppointmentId}", SourceIdOf(reminder), now, ct);
            reminder.Status = ReminderStatuses.Sent;
            reminder.SentAt = now;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>
    /// The reminder for this appointment time. Not the reminder's id alone: a moved appointment re-arms the same row,
    /// and its reminder for the new time is a new fact that must not be taken for the one already sent.
    /// </summary>
    public static Guid SourceIdOf(AppointmentReminder reminder) =>
        NotificationTexts.SourceIdOf("reminder", reminder.Id.ToString(),
            reminder.StartsAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
}

/// <summary>Configuration section Notifications:Reminders.</summary>
public sealed class ReminderSweepOptions
{
    public const string Section = "Notifications:Reminders";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = ReminderSweep.DefaultBatchSize;
}

/// <summary>Runs <see cref="ReminderSweep.SendDueAsync"/> every <see cref="ReminderSweepOptions.Interval"/>.</summary>
public sealed class ReminderSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<ReminderSweepOptions> options,
    ILogger<ReminderSweeper> logger) : PeriodicSweeper(scopes, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "sending due appointment reminders";

    protected override async Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct)
    {
        var claimed = await ReminderSweep.SendDueAsync(services.GetRequiredService<NotificationsDb>(), Time, BatchSize, ct);
        if (claimed > 0)
        {
            Logger.LogInformation("Handled {Count} due appointment reminders", claimed);
        }

        return claimed;
    }
}
