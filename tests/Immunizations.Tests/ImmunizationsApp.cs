using System.Net.Http.Headers;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Immunizations.Tests;

/// <summary>
/// The Immunizations service on its own database and RabbitMQ virtual host of the shared test servers, with
/// tokens from a <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class ImmunizationsApp : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private TestTokenIssuer? _issuer;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public TestTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("Not started.");

    public SaveChangesRecorder SaveChanges { get; } = new();

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await servers.Postgres.CreateDatabaseAsync("immunizations");
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync();
        _issuer = await TestTokenIssuer.StartAsync();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:immunizationsdb", ConnectionString);
            web.UseSetting("ConnectionStrings:rabbitmq", rabbit);
            foreach (var (key, value) in _issuer.Configuration)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            web.ConfigureTestServices(services =>
                services.ConfigureDbContext<ImmunizationsDb>(options => options.AddInterceptors(SaveChanges)));
        });

        // Starts the host: migrations are applied before it answers.
        using var client = _factory.CreateClient();
        await WaitUntilReadyAsync(client);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }

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

    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name }));

    /// <summary>Makes a patient known directly in the database, as the PatientRegistered consumer would.</summary>
    public async Task<(Guid PatientId, string Snils)> AddKnownPatientAsync(DateOnly? birthDate = null)
    {
        var patientId = Guid.CreateVersion7();
        var snils = TestSnils.Next();
        await WithDbAsync(async db =>
        {
            db.KnownPatients.Add(new KnownPatient(patientId, snils, birthDate ?? new DateOnly(1985, 4, 12), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        return (patientId, snils);
    }

    public async Task WithDbAsync(Func<ImmunizationsDb, Task> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ImmunizationsDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<ImmunizationsDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ImmunizationsDb>());
    }

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

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
        throw new TimeoutException($"Immunizations did not become ready: {last}");
    }
}

[CollectionDefinition(Name)]
public sealed class ImmunizationsCollection : ICollectionFixture<ImmunizationsApp>
{
    public const string Name = "immunizations";
}
