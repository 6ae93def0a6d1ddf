using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class ServiceErrorTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task A_bodyless_error_from_a_service_reaches_the_client_as_a_problem(HttpStatusCode status)
    {
        using var response = await fixture.GetAsync($"/api/v1/records?status={(int)status}", fixture.PatientToken());

        await response.ShouldBeProblemAsync(status);
        response.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
        response.Headers.Server.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_problem_written_by_a_service_passes_through_unchanged()
    {
        using var response = await fixture.GetAsync("/api/v1/disputes?status=409&problem=1", fixture.PatientToken());

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"status":409,"title":"Conflict","detail":"from disputes"}""");
    }

    [Fact]
    public async Task A_bodyless_success_stays_bodyless()
    {
        using var response = await fixture.GetAsync("/api/v1/notifications?status=204", fixture.PatientToken());

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }
}
