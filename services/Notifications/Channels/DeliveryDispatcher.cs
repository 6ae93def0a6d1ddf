using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Notifications.Channels;

/// <summary>Configuration section Notifications:Dispatcher.</summary>
public sealed class DispatcherOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = DeliveryDispatcher.DefaultBatchSize;

    public int MaxAttempts { get; set; } = DeliveryDispatcher.DefaultMaxAttempts;
}

/// <summary>Sends due deliveries every <see cref="DispatcherOptions.Interval"/>.</summary>
public sealed class DeliveryDispatcher(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<DispatcherOptions> options,
    ILogger<DeliveryDispatcher> logger) : PeriodicSweeper(scopes, time, logger)
{
    public const int DefaultBatchSize = 50;
    public const int DefaultMaxAttempts = 5;

    /// <summary>
    /// One batch in one transaction. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances send side by
    /// side and each delivery goes out once. The lock is held while sending: a crash before commit means a message
    /// may be sent again (at least once), never lost.
    /// </summary>
    /// <returns>How many deliveries were claimed; fewer than <paramref name="batchSize"/> means none are left due.</returns>
    public static async Task<int> DispatchDueAsync(NotificationsDb db, IServiceProvider services, TimeProvider time,
        int batchSize = DefaultBatchSize, int maxAttempts = DefaultMaxAttempts, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Deliveries
            .FromSql($"""
                SELECT * FROM deliveries
                WHERE status = 'pending' AND not_before <= {now}
                ORDER BY not_before
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsTracking()
            .ToListAsync(ct);

        foreach (var delivery in due)
        {
            var message = new OutgoingMessage(delivery.Channel, delivery.Destination, delivery.Subject, delivery.Text);
            delivery.Attempts++;
            try
            {
                Task sending = delivery.Channel switch
                {
                    Domain.Channels.Sms => services.GetRequiredService<ISmsSender>().SendAsync(message, ct),
                    Domain.Channels.Email => services.GetRequiredService<IEmailSender>().SendAsync(message, ct),
                    Domain.Channels.Push => services.GetRequiredService<IPushSender>().SendAsync(message, ct),
                    _ => throw new InvalidOperationException($"Unknown channel {delivery.Channel}"),
                };
                await sending;
                delivery.Status = DeliveryStatuses.Sent;
                delivery.SentAt = now;
                delivery.LastError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var error = e.Message;
                delivery.LastError = error.Length > 1000 ? error[..1000] : error;
                if (delivery.Attempts >= maxAttempts)
                {
                    delivery.Status = DeliveryStatuses.Failed;
                }
                else
                {
                    delivery.NotBefore = now + Backoff(delivery.Attempts);
                }
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>30 s, 1 min, 2 min, 4 min ... at most an hour: a provider outage is not hammered.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1))));

    protected override TimeSpan Interval => options.Value.Interval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override string Activity => "dispatching deliveries";

    protected override Task<int> SweepBatchAsync(IServiceProvider services, CancellationToken ct) =>
        DispatchDueAsync(services.GetRequiredService<NotificationsDb>(), services, Time, BatchSize, options.Value.MaxAttempts, ct);
}

public static class ChannelsExtensions
{
    /// <summary>The delivery dispatcher, the e-mail sender (SMTP), SMS and push providers.</summary>
    public static IHostApplicationBuilder AddNotificationChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DispatcherOptions>().BindConfiguration("Notifications:Dispatcher");
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Notifications:Outbox");
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration("Notifications:Smtp")
            .PostConfigure<IConfiguration>((smtp, configuration) =>
            {
                if (Uri.TryCreate(configuration.GetConnectionString("smtp"), UriKind.Absolute, out var uri))
                {
                    smtp.Host = uri.Host;
                    smtp.Port = uri.IsDefaultPort || uri.Port <= 0 ? 25 : uri.Port;
                }
            });
        builder.Services.AddSingleton<DevelopmentMessageRecorder>();
        builder.Services.AddSingleton<ISmsSender>(s => s.GetRequiredService<DevelopmentMessageRecorder>());
        builder.Services.AddSingleton<IPushSender>(s => s.GetRequiredService<DevelopmentMessageRecorder>());
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        builder.Services.AddHostedService<DeliveryDispatcher>();
        return builder;
    }
}
