using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>A tiny limit: a burst of 3, then one request per second, per client.</summary>
public sealed class TinyRateLimitFixture : GatewayFixture
{
    public const int Burst = 3;

    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:PermitsPerSecond"] = "1",
            ["Gateway:RateLimit:Burst"] = Burst.ToString(),
        };
}

public sealed class RateLimitingTests(TinyRateLimitFixture fixture) : IClassFixture<TinyRateLimitFixture>
{
    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_and_a_problem()
    {
        var token = fixture.PatientToken();
        var marker = Guid.NewGuid().ToString("N");
        var path = $"/api/v1/notifications?marker={marker}";

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        // Until the bucket runs dry: on a slow machine a token may come back in between.
        for (var i = 0; i < 50 && rejected is null; i++)
        {
            var response = await fixture.GetAsync(path, token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) rejected = response;
            else response.Dispose();
        }

        statuses.Take(TinyRateLimitFixture.Burst).ShouldAllBe(s => s == HttpStatusCode.OK);
        rejected.ShouldNotBeNull($"never limited: {string.Join(", ", statuses)}");
        using (rejected)
        {
            var problem = await rejected.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
            rejected.Headers.RetryAfter.ShouldNotBeNull();
            rejected.Headers.RetryAfter.Delta.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, 60);
            rejected.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
            problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("Слишком много запросов");
        }

        // The rejected request never reached the service.
        fixture.Backends["notifications"].Received.Count(r => r.PathAndQuery.Contains(marker)).ShouldBe(statuses.Count - 1);
    }

    [Fact]
    public async Task Clients_are_limited_separately()
    {
        var sub = Guid.CreateVersion7();
        var greedy = fixture.PatientToken(sub, clientId: "web");
        var limited = false;
        for (var i = 0; i < 50 && !limited; i++)
        {
            using var response = await fixture.GetAsync("/api/v1/immunizations", greedy);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests;
        }

        limited.ShouldBeTrue();

        // Another user of the same client, and the same user through another client, have their own buckets.
        using var otherUser = await fixture.GetAsync("/api/v1/immunizations", fixture.PatientToken(clientId: "web"));
        otherUser.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var otherClient = await fixture.GetAsync("/api/v1/immunizations", fixture.PatientToken(sub, clientId: "mobile"));
        otherClient.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_limited_by_address()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await fixture.GetAsync("/api/v1/records", token: "not-a-jwt");
            statuses.Add(response.StatusCode);
        }

        statuses.Take(TinyRateLimitFixture.Burst).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_client_cannot_escape_its_address_bucket_by_claiming_another_address()
    {
        // Were X-Forwarded-For believed at the edge, every request below would get a fresh bucket of its own.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await fixture.GetAsync("/api/v1/records", token: "not-a-jwt",
                headers: [new("X-Forwarded-For", $"203.0.113.{i + 1}"), new("X-Forwarded-Proto", "https")]);
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Health_probes_are_not_limited()
    {
        for (var i = 0; i < TinyRateLimitFixture.Burst * 4; i++)
        {
            using var response = await fixture.GetAsync("/health/live");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
