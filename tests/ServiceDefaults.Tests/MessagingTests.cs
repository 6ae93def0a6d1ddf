using System.Net;
using System.Text.Json;
using Gosuslugi.Health.TestInfrastructure.Servers;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.ServiceDefaults.Tests.TestData;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Gosuslugi.Health.ServiceDefaults.Tests;

public sealed class MessagingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string?> Config(string db, string amqp, string? redis = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:testdb"] = db,
            ["ConnectionStrings:rabbitmq"] = amqp,
            ["Messaging:Retry:Limit"] = "3",
            ["Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["Messaging:Retry:MaxInterval"] = "00:00:00.100",
            ["Messaging:Retry:Delta"] = "00:00:00.020",
            ["Messaging:Outbox:PublishTimeout"] = "00:00:03",
            ["Messaging:Outbox:MaxBackoff"] = "00:00:02",
        };
        if (redis is not null) config["ConnectionStrings:redis"] = redis;
        return config;
    }

    private static Task<WebApplication> StartServiceAsync(Dictionary<string, string?> config, MessageLog log, bool withRedis = false) =>
        TestHost.StartAsync(config, b =>
        {
            b.Services.AddSingleton(log);
            b.AddServiceDatabase<TestDb>("testdb");
            b.AddServiceMessaging<TestDb>(bus =>
            {
                bus.AddConsumer<RecordingItemCreatedConsumer>();
                bus.AddConsumer<CreateItemConsumer>();
                bus.AddConsumer<ExplodingConsumer>();
            });
            if (withRedis) b.AddServiceRedis();
        });

    [Fact]
    public async Task Outbox_keeps_events_written_while_the_broker_is_down_and_delivers_them_once_it_is_back()
    {
        var servers = await TestServers.GetAsync();
        Step("shared servers up");
        await using var rabbit = await RabbitMqServer.StartAsync();
        Step("private broker up");
        var amqp = await rabbit.CreateVirtualHostAsync();
        var log = new MessageLog();
        await using var app = await StartServiceAsync(Config(await servers.Postgres.CreateDatabaseAsync(), amqp), log);
        await TestHost.WaitUntilReadyAsync(app);
        Step("service ready");

        await rabbit.StopAsync();
        Step("broker stopped");

        var itemId = Guid.CreateVersion7();
        Guid eventId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDb>();
            db.Items.Add(new Item { Id = itemId, Name = "written while the broker was down", CreatedAt = DateTimeOffset.UtcNow });
            eventId = db.AddOutboxEvent(new ItemCreated(itemId, "written while the broker was down", DateTimeOffset.UtcNow)).Id;
            await db.SaveChangesAsync();
        }

        // The relay tries, fails, and keeps the row.
        await TestHost.WaitUntilAsync(async () => (await OutboxRow(app, eventId)).Attempts >= 1, Patience, "a failed publish attempt");
        Step("publish attempt failed");
        var pending = await OutboxRow(app, eventId);
        pending.PublishedAt.ShouldBeNull();
        pending.LastError.ShouldNotBeNullOrEmpty();
        log.Delivered.ShouldBeEmpty();

        await rabbit.StartAsync();
        Step("broker started again");

        await TestHost.WaitUntilAsync(() => Task.FromResult(!log.Delivered.IsEmpty), TimeSpan.FromSeconds(120), "the event after the broker came back");
        Step("event delivered");
        await Task.Delay(TimeSpan.FromSeconds(2)); // anything duplicated would arrive by now
        var delivered = log.Delivered.ShouldHaveSingleItem();
        delivered.MessageId.ShouldBe(eventId);
        ((ItemCreated)delivered.Message).ItemId.ShouldBe(itemId);
        (await OutboxRow(app, eventId)).PublishedAt.ShouldNotBeNull();
        await app.StopAsync();
    }

    [Fact]
    public async Task Outbox_events_committed_in_a_user_transaction_are_published_with_the_row_id_as_message_id()
    {
        var servers = await TestServers.GetAsync();
        var log = new MessageLog();
        await using var app = await StartServiceAsync(Config(await servers.Postgres.CreateDatabaseAsync(), await servers.RabbitMq.CreateVirtualHostAsync()), log);
        await TestHost.WaitUntilReadyAsync(app);

        var ids = new List<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < 3; i++)
            {
                var itemId = Guid.CreateVersion7();
                db.Items.Add(new Item { Id = itemId, Name = $"item {i}", CreatedAt = DateTimeOffset.UtcNow });
                ids.Add(db.AddOutboxEvent(new ItemCreated(itemId, $"item {i}", DateTimeOffset.UtcNow)).Id);
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await TestHost.WaitUntilAsync(() => Task.FromResult(log.Delivered.Count == 3), TimeSpan.FromSeconds(30), "three events");
        log.Delivered.Select(d => d.MessageId!.Value).Order().ShouldBe(ids.Order());
        await app.StopAsync();
    }

    [Fact]
    public async Task A_message_delivered_twice_has_one_effect()
    {
        var servers = await TestServers.GetAsync();
        var log = new MessageLog();
        await using var app = await StartServiceAsync(Config(await servers.Postgres.CreateDatabaseAsync(), await servers.RabbitMq.CreateVirtualHostAsync()), log);
        await TestHost.WaitUntilReadyAsync(app);
        var bus = app.Services.GetRequiredService<IBus>();
        var counter = new CompletionCounter();
        using var _ = bus.ConnectConsumeObserver(counter);

        var messageId = NewId.NextGuid();
        await bus.Publish(new CreateItem("once"), c => c.MessageId = messageId);
        await bus.Publish(new CreateItem("once"), c => c.MessageId = messageId);
        await TestHost.WaitUntilAsync(() => Task.FromResult(counter.Completed >= 2), Patience, "both deliveries to be consumed");

        log.Handled.Count.ShouldBe(1);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDb>();
        (await db.Items.CountAsync(i => i.Name == "once")).ShouldBe(1);
        (await db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId)).ShouldBe(1);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_failing_message_is_retried_then_moved_to_the_error_queue()
    {
        var servers = await TestServers.GetAsync();
        var log = new MessageLog();
        var amqp = await servers.RabbitMq.CreateVirtualHostAsync();
        await using var app = await StartServiceAsync(Config(await servers.Postgres.CreateDatabaseAsync(), amqp), log);
        await TestHost.WaitUntilReadyAsync(app);

        var queue = new KebabCaseEndpointNameFormatter(TestHost.ServiceName, false).Consumer<ExplodingConsumer>();
        queue.ShouldBe("sdtest-exploding");
        await app.Services.GetRequiredService<IBus>().Publish(new Explode("test"));

        var factory = new ConnectionFactory { Uri = new Uri(amqp) };
        await using var connection = await factory.CreateConnectionAsync();
        BasicGetResult? dead = null;
        await TestHost.WaitUntilAsync(async () =>
        {
            // A channel that asks for a queue that does not exist yet is closed by the broker: use a fresh one each time.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                dead = await channel.BasicGetAsync(queue + "_error", autoAck: true);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return false;
            }
            return dead is not null;
        }, Patience, "the message in the _error queue");
        Volatile.Read(ref log.ExplodeAttempts).ShouldBe(4); // first try + 3 retries
        JsonDocument.Parse(dead!.Body).RootElement.GetProperty("message").GetProperty("reason").GetString().ShouldBe("test");
        await app.StopAsync();
    }

    [Fact]
    public async Task Ready_is_200_with_real_dependencies_and_503_when_one_is_down()
    {
        var servers = await TestServers.GetAsync();
        var log = new MessageLog();
        var db = await servers.Postgres.CreateDatabaseAsync();
        var amqp = await servers.RabbitMq.CreateVirtualHostAsync();

        await using (var app = await StartServiceAsync(Config(db, amqp, servers.Redis.ConnectionString), log, withRedis: true))
        {
            await TestHost.WaitUntilReadyAsync(app);
            using var ready = await app.GetTestClient().GetAsync("/health/ready");
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
            checks.GetProperty("testdb").GetProperty("status").GetString().ShouldBe("Healthy");
            checks.GetProperty("rabbitmq").GetProperty("status").GetString().ShouldBe("Healthy");
            checks.GetProperty("redis").GetProperty("status").GetString().ShouldBe("Healthy");
            await app.StopAsync();
        }

        // Redis on a port where nothing listens.
        await using (var app = await StartServiceAsync(Config(db, amqp, $"127.0.0.1:{Ports.GetFree()}"), log, withRedis: true))
        {
            using var ready = await app.GetTestClient().GetAsync("/health/ready");
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
            checks.GetProperty("redis").GetProperty("status").GetString().ShouldBe("Unhealthy");
            using var live = await app.GetTestClient().GetAsync("/health/live");
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
            await app.StopAsync();
        }
    }

    private static async Task<OutboxMessage> OutboxRow(WebApplication app, Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDb>();
        return await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
