using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Disputes.Tests;

/// <summary>
/// The Disputes service on its own database and RabbitMQ virtual host of the shared test servers, with tokens from a
/// <see cref="TestTokenIssuer"/>.
/// </summary>
public sealed class DisputesApp() : ServiceUnderTest<Program, DisputesDb>("disputes")
{
    public SaveChangesRecorder SaveChanges { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder web) =>
        web.ConfigureTestServices(services =>
            services.ConfigureDbContext<DisputesDb>(options => options.AddInterceptors(SaveChanges)));

    /// <summary>A medical organization's machine client (client credentials, scope health.publish).</summary>
    public HttpClient OrganizationClient(Guid organizationId, string name = "ГБУЗ «Городская поликлиника № 1»") =>
        CreateClient(Issuer.CreateToken($"client-{organizationId:N}", [HealthClaims.Roles.MedicalOrganization],
            [HealthClaims.Scopes.HealthPublish],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = name },
            clientId: $"client-{organizationId:N}"));

    public HttpClient DoctorClient(Guid organizationId) =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Doctor], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = organizationId.ToString(), ["org_name"] = "ГБУЗ «Городская поликлиника № 1»" }));

    public HttpClient AdminClient() =>
        CreateClient(Issuer.CreateToken(Guid.CreateVersion7().ToString(), [HealthClaims.Roles.Admin], [HealthClaims.Scopes.Health]));

    /// <summary>A representative acting for <paramref name="patientId"/> (full delegation by default).</summary>
    public HttpClient RepresentativeClient(Guid patientId, string scope = TestTokenIssuer.DelegatedRecordsScope) =>
        CreateClient(Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7(), scope));

    /// <summary>Payloads of the outbox events of type <typeparamref name="T"/> that mention <paramref name="id"/>.</summary>
    public Task<List<JsonObject>> OutboxEventsAsync<T>(Guid id) => WithDbAsync(async db =>
    {
        var type = typeof(T).FullName;
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType == type)
            .Select(m => m.Payload).ToListAsync();
        var needle = id.ToString();
        return rows.Where(p => p.Contains(needle, StringComparison.OrdinalIgnoreCase))
            .Select(p => JsonNode.Parse(p)!.AsObject()).ToList();
    });
}

/// <summary>Records which entity types each SaveChanges inserted, to see what was written together.</summary>
public sealed class SaveChangesRecorder : SaveChangesInterceptor
{
    public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<object>> Inserts { get; } = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            Inserts.Enqueue(context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList());
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

[CollectionDefinition(Name)]
public sealed class DisputesCollection : ICollectionFixture<DisputesApp>
{
    public const string Name = "disputes";
}

public static class Json
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject
            ?? throw new InvalidOperationException($"Expected a JSON object, got: {text}");
    }

    /// <summary>
    /// A problem's body without its <c>instance</c> (the request's own path, which names the id the caller sent), so
    /// that what remains can be checked for leaked data.
    /// </summary>
    public static string WithoutInstance(string text)
    {
        if (text.Length == 0 || JsonNode.Parse(text) is not JsonObject json) return text;
        json.Remove("instance");
        // Unescaped, so that Cyrillic text can be searched for.
        return json.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
