using System.Diagnostics;
using System.Text.Json;
using Gosuslugi.Health.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.ServiceDefaults.Messaging;

public sealed class OutboxRelayOptions
{
    public int BatchSize { get; set; } = 100;
    /// <summary>Fallback polling when no signal arrives (another instance wrote the row, or a signal was missed).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Upper bound of one publish: a broker that is down must not hold the rows' locks forever.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Published rows are kept this long for investigation, then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes the outbox rows of <typeparamref name="TDb"/> in order. Rows are claimed with FOR UPDATE SKIP LOCKED
/// inside a transaction, so several instances never publish the same row at once; a row is marked published only
/// after the broker accepted it, and never deleted before, so a broker outage delays events but loses none.
/// </summary>
internal sealed class OutboxRelay<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal<TDb> signal,
    IOptions<OutboxRelayOptions> options,
    ILogger<OutboxRelay<TDb>> logger) : BackgroundService where TDb : DbContext
{
    private static readonly ActivitySource Source = new("Gosuslugi.Health.Outbox");
    private readonly Dictionary<string, Type?> _types = new();
    private string? _claimSql;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (migrations are already applied by then).
        await Task.Yield();
        // The loop outlives whatever was current when the host started; a publish must never become its child.
        Activity.Current = null;
        var o = options.Value;
        var failures = 0;
        var nextCleanup = DateTimeOffset.UtcNow.AddMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (published, failed) = await PublishBatchAsync(o, stoppingToken);
                if (failed)
                {
                    failures++;
                    var delay = Backoff(o, failures);
                    logger.LogWarning("Outbox of {DbContext}: publishing failed ({Failures} time(s) in a row), retrying in {DelayMs} ms",
                        typeof(TDb).Name, failures, (int)delay.TotalMilliseconds);
                    await Task.Delay(delay, stoppingToken);
                    continue;
                }
                failures = 0;
                if (DateTimeOffset.UtcNow >= nextCleanup)
                {
                    nextCleanup = DateTimeOffset.UtcNow.AddHours(1);
                    await DeletePublishedAsync(o, stoppingToken);
                }
                if (published < o.BatchSize) await signal.WaitAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Database unreachable or similar: keep trying, the rows are safe where they are.
                failures++;
                var delay = Backoff(o, failures);
                logger.LogError(ex, "Outbox relay of {DbContext} failed, retrying in {DelayMs} ms", typeof(TDb).Name, (int)delay.TotalMilliseconds);
                try { await Task.Delay(delay, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task DeletePublishedAsync(OutboxRelayOptions o, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var before = DateTimeOffset.UtcNow - o.Retention;
        var deleted = await db.Set<OutboxMessage>().Where(m => m.PublishedAt != null && m.PublishedAt < before).ExecuteDeleteAsync(ct);
        if (deleted > 0) logger.LogInformation("Outbox of {DbContext}: deleted {Count} message(s) published before {Before}", typeof(TDb).Name, deleted, before);
    }

    private static TimeSpan Backoff(OutboxRelayOptions o, int failures)
    {
        var exponential = o.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(exponential, o.MaxBackoff.TotalMilliseconds);
        // Full jitter in the upper half, so instances that failed together do not retry together.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    private async Task<(int Published, bool Failed)> PublishBatchAsync(OutboxRelayOptions o, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var rows = await db.Set<OutboxMessage>()
            .FromSqlRaw(ClaimSql(db), o.BatchSize)
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return (0, false);
        }

        var published = 0;
        var failed = false;
        foreach (var row in rows)
        {
            try
            {
                await PublishAsync(row, o, ct);
                row.PublishedAt = DateTimeOffset.UtcNow;
                row.Attempts++;
                row.LastError = null;
                published++;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                row.Attempts++;
                row.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
                logger.LogWarning("Outbox message {MessageId} ({MessageType}) not published, attempt {Attempt}: {Error}",
                    row.Id, row.MessageType, row.Attempts, row.LastError);
                failed = true;
                // Stop here: later rows wait, so events keep their order.
                break;
            }
        }

        // Whatever happens to the broker, the database must record what was published.
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        if (published > 0) logger.LogDebug("Outbox of {DbContext}: published {Count} message(s)", typeof(TDb).Name, published);
        return (published, failed);
    }

    private async Task PublishAsync(OutboxMessage row, OutboxRelayOptions o, CancellationToken ct)
    {
        var type = ResolveType(row.MessageType)
            ?? throw new InvalidOperationException($"Message type {row.MessageType} is not known to this service.");
        var message = JsonSerializer.Deserialize(row.Payload, type, OutboxModelExtensions.PayloadJson)
            ?? throw new InvalidOperationException("The payload is null.");

        using var activity = StartPublishActivity(row);
        activity?.SetTag("messaging.message.id", row.Id.ToString());
        activity?.SetTag("messaging.message.type", row.MessageType);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.PublishTimeout);
        var publish = bus.Publish(message, type, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = row.Id;
            context.Durable = true;
        }), timeout.Token);
        // Belt and braces: a publish that ignores its token still cannot hang the relay.
        await publish.WaitAsync(o.PublishTimeout + TimeSpan.FromSeconds(1), ct);
    }

    /// <summary>Continues the trace of the request that wrote the event; MassTransit's send span becomes its child.</summary>
    private static Activity? StartPublishActivity(OutboxMessage row)
    {
        if (row.TraceParent is null || !ActivityContext.TryParse(row.TraceParent, null, out var parent))
            return Source.StartActivity("outbox publish");
        // Nobody may listen to this source while MassTransit's is listened to: an activity without a source still
        // carries the stored context to the send span, which would otherwise start a trace of its own.
        return Source.StartActivity("outbox publish", ActivityKind.Internal, parent)
            ?? new Activity("outbox publish").SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start();
    }

    private Type? ResolveType(string name)
    {
        if (_types.TryGetValue(name, out var cached)) return cached;
        var type = typeof(IIntegrationEvent).Assembly.GetType(name)
            ?? AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic)
                .Select(a => a.GetType(name))
                .FirstOrDefault(t => t is not null);
        _types[name] = type;
        return type;
    }

    private string ClaimSql(DbContext db)
    {
        if (_claimSql is not null) return _claimSql;
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))
            ?? throw new InvalidOperationException($"{typeof(TDb).Name} has no outbox: call modelBuilder.AddOutboxAndInbox() in OnModelCreating.");
        var table = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
        return _claimSql = $"SELECT * FROM {table} WHERE published_at IS NULL ORDER BY created_at, id LIMIT {{0}} FOR UPDATE SKIP LOCKED";
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
