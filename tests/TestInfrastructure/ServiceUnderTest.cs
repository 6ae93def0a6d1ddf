using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// One service in process, on its own database and RabbitMQ virtual host of the shared <see cref="TestServers"/>
/// (and their Redis, for the token deny-list), with tokens from a <see cref="TestTokenIssuer"/>. Ready (migrations applied, broker connected) once
/// <see cref="InitializeAsync"/> returns.
/// </summary>
/// <typeparam name="TEntryPoint">The service's <c>Program</c>.</typeparam>
/// <typeparam name="TDb">The service's DbContext, for <see cref="WithDbAsync(Func{TDb, Task})"/>.</typeparam>
public abstract class ServiceUnderTest<TEntryPoint, TDb> : IAsyncLifetime
    where TEntryPoint : class
    where TDb : DbContext
{
    private readonly string _name;
    private WebApplicationFactory<TEntryPoint>? _factory;
    private TestTokenIssuer? _issuer;
    private string _rabbitMq = "";
    private readonly List<WebApplicationFactory<TEntryPoint>> _otherInstances = [];

    /// <param name="name">
    /// The service's name as the AppHost knows it: the database is named after it and the connection string is
    /// read from ConnectionStrings:&lt;name&gt;db.
    /// </param>
    protected ServiceUnderTest(string name) => _name = name;

    public WebApplicationFactory<TEntryPoint> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public TestTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await servers.Postgres.CreateDatabaseAsync(_name);
        _rabbitMq = await servers.RabbitMq.CreateVirtualHostAsync();
        _issuer = await TestTokenIssuer.StartAsync();

        _factory = await StartInstanceAsync(servers);
        await OnReadyAsync();
    }

    /// <summary>
    /// A second (third, ...) instance of the service on the same database, virtual host and token issuer, as a
    /// deployment scaled out behind the gateway runs it: its own host, DI container, connection pool and background
    /// services. Ready when returned; stopped with the fixture.
    /// </summary>
    public async Task<WebApplicationFactory<TEntryPoint>> StartAnotherInstanceAsync()
    {
        var instance = await StartInstanceAsync(await TestServers.GetAsync());
        lock (_otherInstances) _otherInstances.Add(instance);
        return instance;
    }

    private async Task<WebApplicationFactory<TEntryPoint>> StartInstanceAsync(TestServers servers)
    {
        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(web =>
        {
            web.UseSetting($"ConnectionStrings:{_name}db", ConnectionString);
            web.UseSetting("ConnectionStrings:rabbitmq", _rabbitMq);
            // The token deny-list every service checks.
            web.UseSetting("ConnectionStrings:redis", servers.Redis.ConnectionString);
            foreach (var (key, value) in Issuer.Configuration)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            ConfigureWebHost(web);
        });

        // Starts the host: migrations are applied before it answers.
        using var client = factory.CreateClient();
        await WaitUntilReadyAsync(client);
        return factory;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _otherInstances) await instance.DisposeAsync();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }

    /// <summary>Runs after the common settings, so a service can add test services or override settings.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder web)
    {
    }

    /// <summary>Runs once the service answers ready, e.g. to observe its bus.</summary>
    protected virtual Task OnReadyAsync() => Task.CompletedTask;

    public HttpClient CreateClient(string? token = null)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    // Plain claim values rather than HealthClaims: this library does not reference ServiceDefaults (and with it
    // MassTransit and the rest of the platform), like the defaults of TestTokenIssuer.
    public HttpClient PatientClient(Guid patientId) =>
        CreateClient(Issuer.CreateToken(patientId.ToString(), ["patient"], ["health"]));

    /// <summary>
    /// Sends U+0000 and invalid UTF-8 to every text field of every JSON, FHIR and form route of the service (see
    /// <see cref="MalformedTextProbe"/>), each with a token of the role its policy names; returns the routes probed
    /// and the wrong answers.
    /// </summary>
    public async Task<(IReadOnlyList<MalformedTextProbe.BodyRoute> Routes, IReadOnlyList<string> Failures)> ProbeMalformedTextAsync(
        IReadOnlyDictionary<string, string>? routeValues = null, IReadOnlyDictionary<string, string[]>? extraFields = null)
    {
        var routes = MalformedTextProbe.BodyRoutes(Factory.Services, routeValues, extraFields);
        var clients = new Dictionary<string, HttpClient>();
        try
        {
            var failures = await MalformedTextProbe.ProbeAsync(routes, route =>
            {
                var role = RoleFor(route.Policies);
                if (!clients.TryGetValue(role, out var client)) clients[role] = client = ClientWithRole(role);
                return client;
            });
            return (routes, failures);
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }

    private static string RoleFor(IReadOnlyList<string> policies) =>
        policies.FirstOrDefault(p => p is "medical_organization" or "pharmacy" or "doctor" or "admin") ?? "patient";

    private HttpClient ClientWithRole(string role)
    {
        var organizationId = Guid.CreateVersion7().ToString();
        return role switch
        {
            "medical_organization" => CreateClient(Issuer.CreateToken($"client-{organizationId}", [role], ["health.publish"],
                new Dictionary<string, object> { ["org_id"] = organizationId, ["org_name"] = "ГБУЗ «Городская поликлиника № 1»" },
                clientId: $"client-{organizationId}")),
            "pharmacy" => CreateClient(Issuer.CreateToken($"pharmacy-{organizationId}", [role], ["health.pharmacy"],
                new Dictionary<string, object> { ["org_id"] = organizationId, ["org_name"] = "Аптека «Здоровье»" },
                clientId: $"pharmacy-{organizationId}")),
            "doctor" => CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [role], ["health"],
                new Dictionary<string, object> { ["org_id"] = organizationId, ["org_name"] = "ГБУЗ «Городская поликлиника № 1»", ["name"] = "Петрова Анна Сергеевна" })),
            "admin" => CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [role], ["health"])),
            _ => PatientClient(Guid.CreateVersion7()),
        };
    }

    public async Task WithDbAsync(Func<TDb, Task> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<TDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TDb>());
    }

    /// <summary>
    /// The payloads of the events of <paramref name="messageType"/> (full type name) about <paramref name="patientId"/>
    /// that the service committed to its outbox, oldest first: what it will publish, whether or not the broker took it yet.
    /// </summary>
    public Task<List<JsonElement>> OutboxPayloadsAsync(string messageType, Guid patientId) => WithDbAsync(async db =>
        (await db.Database.SqlQuery<string>($"""
                SELECT payload::text AS "Value" FROM outbox_messages
                WHERE message_type = {messageType} AND payload ->> 'patientId' = {patientId.ToString()}
                ORDER BY id
                """).ToListAsync())
        .Select(payload => JsonDocument.Parse(payload).RootElement.Clone())
        .ToList());

    private async Task WaitUntilReadyAsync(HttpClient client)
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
        throw new TimeoutException($"{typeof(TEntryPoint).Assembly.GetName().Name} did not become ready: {last}");
    }
}
