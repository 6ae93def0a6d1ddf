using System.Collections.Concurrent;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Tests.TestData;

/// <summary>A minimal service host (in-memory TestServer) wired the way a real service is.</summary>
internal static class TestHost
{
    public const string ServiceName = "sdtest";

    public static async Task<WebApplication> StartAsync(
        IDictionary<string, string?> configuration,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TestHost).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseTestServer();
        // Every host checks tokens against the deny-list in Redis; tests that are about Redis bring their own.
        if (!configuration.ContainsKey("ConnectionStrings:redis"))
        {
            configuration = new Dictionary<string, string?>(configuration)
            {
                ["ConnectionStrings:redis"] = (await TestServers.GetAsync()).Redis.ConnectionString,
            };
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Configuration["OTEL_SERVICE_NAME"] = ServiceName;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        await app.StartAsync();
        return app;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public static Task WaitUntilReadyAsync(WebApplication app, TimeSpan? timeout = null) =>
        WaitUntilAsync(async () =>
        {
            using var response = await app.GetTestClient().GetAsync(Extensions.ReadyPath);
            return response.IsSuccessStatusCode;
        }, timeout ?? TimeSpan.FromSeconds(60), "/health/ready");
}

/// <summary>What the test consumers saw.</summary>
public sealed class MessageLog
{
    public ConcurrentQueue<(Guid? MessageId, object Message)> Delivered { get; } = new();
    public ConcurrentQueue<object> Handled { get; } = new();
    public int ExplodeAttempts;
}

/// <summary>Records every delivery, no deduplication: shows what the broker delivered.</summary>
public sealed class RecordingItemCreatedConsumer(MessageLog log) : IConsumer<ItemCreated>
{
    public Task Consume(ConsumeContext<ItemCreated> context)
    {
        log.Delivered.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}

/// <summary>Its effect (one item per message) must happen once however often the message arrives.</summary>
public sealed class CreateItemConsumer(TestDb db, MessageLog log) : IdempotentConsumer<CreateItem, TestDb>(db)
{
    protected override Task HandleAsync(ConsumeContext<CreateItem> context, CancellationToken ct)
    {
        log.Handled.Enqueue(context.Message);
        Db.Items.Add(new Item { Id = Guid.CreateVersion7(), Name = context.Message.Name, CreatedAt = DateTimeOffset.UtcNow });
        return Task.CompletedTask;
    }
}

public sealed class ExplodingConsumer(MessageLog log) : IConsumer<Explode>
{
    public Task Consume(ConsumeContext<Explode> context)
    {
        Interlocked.Increment(ref log.ExplodeAttempts);
        throw new InvalidOperationException("Consumer failure for the test: " + context.Message.Reason);
    }
}

/// <summary>Counts consumptions that finished (with or without effect).</summary>
public sealed class CompletionCounter : IConsumeObserver
{
    private int _completed;
    public int Completed => Volatile.Read(ref _completed);
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        Interlocked.Increment(ref _completed);
        return Task.CompletedTask;
    }
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
