using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Gosuslugi.Health.Notifications.Api;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gosuslugi.Health.Notifications.Live;

public static class LiveFeed
{
    /// <summary>The PostgreSQL channel every instance LISTENs on.</summary>
    public const string Channel = "notifications_live";

    /// <summary>
    /// PostgreSQL refuses NOTIFY payloads of 8000 bytes and more; a little below it leaves room for the envelope.
    /// </summary>
    public const int MaxPayloadBytes = 7900;

    /// <summary>
    /// Non-ASCII (Russian) text stays UTF-8 instead of \uXXXX escapes, which would triple its size in the payload.
    /// The payload is never rendered as HTML: the stream re-serializes the item with the API's options.
    /// </summary>
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Tells every instance's open live feeds of the patient about the notification once it commits.</summary>
    /// <remarks>
    /// The payload carries the whole item (title ≤ 200 and body ≤ 2000 characters fit well under 8000 bytes as
    /// UTF-8), so the listener needs no database round trip per message and cannot race the commit. Only an item too
    /// large for NOTIFY goes as its id alone, and the listener loads it: NOTIFY is delivered at commit, so the row
    /// is there by then.
    /// </remarks>
    public static async Task AnnounceLiveAsync(this NotificationsDb db, Notification notification, CancellationToken ct)
    {
        var payload = Payload(notification);
        if (db.Database.CurrentTransaction is not null)
        {
            // Transactional: delivered at commit, dropped on rollback, to every listening instance.
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", ct);
            return;
        }

        // Without a transaction a NOTIFY now would go out before the row is saved, or even if saving fails:
        // announce once the caller's SaveChanges succeeded instead.
        EventHandler<SavedChangesEventArgs>? saved = null;
        EventHandler<SaveChangesFailedEventArgs>? failed = null;
        void Unsubscribe()
        {
            db.SavedChanges -= saved;
            db.SaveChangesFailed -= failed;
        }
        saved = (_, _) =>
        {
            Unsubscribe();
            db.Database.ExecuteSql($"SELECT pg_notify({Channel}, {payload})");
        };
        failed = (_, _) => Unsubscribe();
        db.SavedChanges += saved;
        db.SaveChangesFailed += failed;
    }

    internal static string Payload(Notification notification)
    {
        var full = JsonSerializer.Serialize(
            new LiveAnnouncement(notification.PatientId, notification.Id, NotificationResponse.From(notification)), PayloadJson);
        return Encoding.UTF8.GetByteCount(full) < MaxPayloadBytes
            ? full
            : JsonSerializer.Serialize(new LiveAnnouncement(notification.PatientId, notification.Id, null), PayloadJson);
    }

    internal static LiveAnnouncement? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<LiveAnnouncement>(payload, PayloadJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The listener that receives announcements from every instance and the in-process subscriptions.</summary>
    public static IHostApplicationBuilder AddLiveFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section);
        builder.Services.AddSingleton<LiveFeedHub>();
        builder.Services.AddSingleton<LiveFeedListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveFeedListener>());
        // Not ready before listening: a stream opened earlier would miss what is announced meanwhile.
        builder.Services.AddHealthChecks().AddCheck<LiveFeedListenerCheck>("live-feed", tags: [Extensions.ReadyTag]);
        return builder;
    }
}

/// <param name="Item">The notification; null when it did not fit in a NOTIFY payload (the listener loads it).</param>
internal sealed record LiveAnnouncement(Guid PatientId, Guid Id, NotificationResponse? Item);

/// <summary>Configuration section Notifications:Live.</summary>
public sealed class LiveFeedOptions
{
    public const string Section = "Notifications:Live";

    /// <summary>How many undelivered messages a slow stream keeps; older ones are dropped (the feed has them all).</summary>
    public int BufferPerStream { get; set; } = 64;

    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>This instance's open streams, per patient.</summary>
public sealed class LiveFeedHub(Microsoft.Extensions.Options.IOptions<LiveFeedOptions> options)
{
    private readonly Dictionary<Guid, List<Channel<NotificationResponse>>> _subscribers = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// A bounded queue for one stream: a client that does not read fast enough loses the oldest messages rather than
    /// holding memory; the feed itself keeps everything.
    /// </summary>
    public LiveSubscription Subscribe(Guid patientId)
    {
        var channel = Channel.CreateBounded<NotificationResponse>(new BoundedChannelOptions(options.Value.BufferPerStream)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(patientId, out var list))
            {
                _subscribers[patientId] = list = [];
            }
            list.Add(channel);
        }
        return new LiveSubscription(channel.Reader, () => Unsubscribe(patientId, channel));
    }

    public int SubscriberCount(Guid patientId)
    {
        lock (_lock) return _subscribers.TryGetValue(patientId, out var list) ? list.Count : 0;
    }

    public void Publish(Guid patientId, NotificationResponse item)
    {
        Channel<NotificationResponse>[] targets;
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(patientId, out var list)) return;
            targets = [.. list];
        }
        foreach (var channel in targets) channel.Writer.TryWrite(item);
    }

    private void Unsubscribe(Guid patientId, Channel<NotificationResponse> channel)
    {
        channel.Writer.TryComplete();
        lock (_lock)
        {
            if (_subscribers.TryGetValue(patientId, out var list) && list.Remove(channel) && list.Count == 0)
            {
                _subscribers.Remove(patientId);
            }
        }
    }
}

public sealed class LiveSubscription(ChannelReader<NotificationResponse> reader, Action dispose) : IDisposable
{
    private int _disposed;

    public ChannelReader<NotificationResponse> Reader { get; } = reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
    }
}

/// <summary>
/// One connection that LISTENs on <see cref="LiveFeed.Channel"/> and hands what arrives to <see cref="LiveFeedHub"/>.
/// A lost connection is reopened with growing delays; what was announced while it was down is not replayed (a client
/// reconnecting reads the feed for what it missed).
/// </summary>
public sealed class LiveFeedListener(
    IConfiguration configuration,
    LiveFeedHub hub,
    IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<LiveFeedOptions> options,
    ILogger<LiveFeedListener> logger) : BackgroundService
{
    private volatile bool _listening;

    public bool IsListening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(
            configuration.GetConnectionString(NotificationsExtensions.DatabaseName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{NotificationsExtensions.DatabaseName} is not configured."))
        {
            // A dedicated, long-lived connection: not from the pool, and probed so that a silently dead peer is noticed.
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {LiveFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening = true;
                delay = TimeSpan.FromSeconds(1);
                logger.LogInformation("Listening for live notifications");
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _listening = false;
                logger.LogWarning(e, "Live notifications listener lost its connection; reconnecting in {Delay}", delay);
            }

            try
            {
                // Wall-clock time on purpose: a connection back-off is not business time a test would fake.
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxReconnectDelay.Ticks));
        }
    }

    private void Dispatch(string payload)
    {
        var announcement = LiveFeed.Parse(payload);
        if (announcement is null)
        {
            logger.LogWarning("Ignored a malformed live notification payload");
            return;
        }

        if (hub.SubscriberCount(announcement.PatientId) == 0) return;
        if (announcement.Item is { } item)
        {
            hub.Publish(announcement.PatientId, item);
            return;
        }

        // Off the connection's thread: loading must not hold up the notifications behind it.
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
                var notification = await db.Notifications.AsNoTracking()
                    .SingleOrDefaultAsync(n => n.Id == announcement.Id && n.PatientId == announcement.PatientId);
                if (notification is not null) hub.Publish(announcement.PatientId, NotificationResponse.From(notification));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not load live notification {NotificationId}", announcement.Id);
            }
        });
    }
}

internal sealed class LiveFeedListenerCheck(LiveFeedListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsListening
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The live notifications listener is not connected."));
}
