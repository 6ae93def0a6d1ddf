using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// The Notifications service on its own database and RabbitMQ virtual host of the shared test servers, with
/// tokens from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class NotificationsApp() : ServiceUnderTest<Program, NotificationsDb>("notifications")
{
    /// <summary>Every message the service's bus finished consuming (successfully or not), by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    protected override Task OnReadyAsync()
    {
        Bus.ConnectConsumeObserver(Consumed);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsApp>
{
    public const string Name = "notifications";
}

public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    public async Task WaitForAsync(Guid messageId, int deliveries, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Count(messageId) < deliveries)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Message {messageId} was consumed {Count(messageId)} time(s), expected {deliveries}.");
            }
            await Task.Delay(50);
        }
    }

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context) => Task.CompletedTask;

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context)
    {
        Record(context);
        return Task.CompletedTask;
    }

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
    {
        Record(context);
        return Task.CompletedTask;
    }

    private void Record(ConsumeContext context)
    {
        if (context.MessageId is { } id) _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
    }
}

public static class Http
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject
            ?? throw new InvalidOperationException($"Expected a JSON object, got: {text}");
    }
}
