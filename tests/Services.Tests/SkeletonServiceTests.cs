using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Services.Tests;

/// <summary>
/// Every skeleton service starts against real PostgreSQL and RabbitMQ, owns a migrated database with outbox and inbox,
/// reports itself live and ready, and serves nothing under its API prefix to an anonymous caller.
/// </summary>
[Collection(SkeletonServicesCollection.Name)]
public sealed class SkeletonServiceTests(SkeletonServices services)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Names => SkeletonService.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Migrations_apply_on_an_empty_database_and_the_model_matches_them(string name)
    {
        var service = services[name];
        service.SchemaBeforeStart.ShouldBeEmpty("the service must have started on an empty database");

        var schema = await Schema.ReadAsync(service.ConnectionString);
        schema.ShouldContain(line => line.StartsWith("column public.outbox_messages.trace_parent ", StringComparison.Ordinal));
        schema.ShouldContain(line => line.StartsWith("column public.inbox_messages.message_id ", StringComparison.Ordinal));

        await service.Host.WithDbAsync(async db =>
        {
            db.Database.HasPendingModelChanges().ShouldBeFalse($"{db.GetType().Name} has model changes without a migration");
            var migrations = db.Database.GetMigrations().ToArray();
            migrations.ShouldNotBeEmpty();
            (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
            (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(migrations);
            return true;
        });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_second_start_on_the_same_database_changes_nothing(string name)
    {
        var service = services[name];
        var before = await Schema.ReadAsync(service.ConnectionString);

        await using (var second = service.Service.Host(service.Settings))
        {
            using var client = second.CreateClient();
            (await WaitUntilReadyAsync(client)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var after = await Schema.ReadAsync(service.ConnectionString);
        after.ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task It_is_live_and_ready_with_its_database_and_the_broker(string name)
    {
        var service = services[name];
        using var client = service.Host.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ready = await WaitUntilReadyAsync(client);
        var body = await ready.Content.ReadAsStringAsync();
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        checks.GetProperty(service.Service.ConnectionName).GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("rabbitmq").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Its_api_serves_no_data_without_a_token(string name)
    {
        var service = services[name];
        using var client = service.Host.CreateClient();
        var route = service.Service.ApiRoute;

        foreach (var request in new Func<HttpRequestMessage>[]
                 {
                     () => new HttpRequestMessage(HttpMethod.Get, route),
                     () => new HttpRequestMessage(HttpMethod.Get, $"{route}/{Guid.CreateVersion7()}"),
                     () => new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(new { }) },
                 })
        {
            using var message = request();
            using var response = await client.SendAsync(message);
            var what = $"{message.Method} {message.RequestUri}";
            // 405 where the collection answers GET only (Prescriptions' list): still a problem, still no data.
            response.StatusCode.ShouldBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed], what);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("status").GetInt32().ShouldBe((int)response.StatusCode, what);
            problem.TryGetProperty("items", out _).ShouldBeFalse(what);
        }
    }

    private static async Task<HttpResponseMessage> WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline) return response;
            response.Dispose();
            await Task.Delay(200);
        }
    }
}
