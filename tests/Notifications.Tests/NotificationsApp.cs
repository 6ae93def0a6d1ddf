using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>
/// The Notifications service on its own database and RabbitMQ virtual host of the shared test servers, with
/// tokens from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class NotificationsApp : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private TestTokenIssuer? _issuer;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public TestTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every message the service's bus finished consuming (successfully or not), by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("notifications");
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync();
        _issuer = await TestTokenIssuer.StartAsync();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:notificationsdb", database);
            web.UseSetting("ConnectionStrings:rabbitmq", rabbit);
            foreach (var (key, value) in _issuer.Configuration)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });

        using var client = _factory.CreateClient();
        await WaitUntilReadyAsync(client);
        Bus.ConnectConsumeObserver(Consumed);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    public HttpClient CreateClient(string? token = null)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public HttpClient PatientClient(Guid patientId) =>
        CreateClient(Issuer.CreateToken(patientId.ToString(), [HealthClaims.Roles.Patient], [HealthClaims.Scopes.Health]));

    public async Task WithDbAsync(Func<NotificationsDb, Task> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<NotificationsDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<NotificationsDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDb>());
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode) return;
            last = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }
        throw new TimeoutException($"Notifications did not become ready: {last}");
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
