using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

/// <summary>appointments points at a closed port, disputes has no URL, records answers slower than its timeout.</summary>
public sealed class FailingServicesFixture : GatewayFixture
{
    public string ClosedUrl { get; } = GatewayApp.ClosedPortUrl();

    protected override IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, EchoBackend> backends) =>
        new Dictionary<string, string?>
        {
            ["services:appointments:http:0"] = ClosedUrl,
            ["services:disputes:http:0"] = "",
            ["Gateway:Timeouts:Services:records"] = "00:00:01",
        };
}

public sealed class FailureTests(FailingServicesFixture fixture) : IClassFixture<FailingServicesFixture>
{
    [Fact]
    public async Task A_service_that_is_down_gives_a_502_problem_that_reveals_nothing()
    {
        using var response = await fixture.GetAsync("/api/v1/appointments/slots", fixture.PatientToken());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        response.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
        AssertRevealsNothing(problem.GetRawText(), fixture.ClosedUrl);
    }

    [Fact]
    public async Task A_service_without_a_url_gives_a_503_problem()
    {
        using var response = await fixture.GetAsync("/api/v1/disputes", fixture.PatientToken());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        AssertRevealsNothing(problem.GetRawText(), fixture.ClosedUrl);
    }

    [Fact]
    public async Task A_service_slower_than_its_timeout_gives_a_504_problem()
    {
        using var response = await fixture.GetAsync("/api/v1/records/slow?delay=10000", fixture.PatientToken());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout);
        AssertRevealsNothing(problem.GetRawText(), fixture.Backends["records"].Url);
    }

    [Fact]
    public async Task Other_services_keep_working()
    {
        using var response = await fixture.GetAsync("/api/v1/immunizations", fixture.PatientToken());

        (await GatewayFixture.EchoOf(response)).Service.ShouldBe("immunizations");
    }

    [Fact]
    public async Task A_down_service_is_still_closed_to_anonymous_callers()
    {
        using var response = await fixture.GetAsync("/api/v1/appointments");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    static void AssertRevealsNothing(string body, string destination)
    {
        var port = new Uri(destination).Port.ToString();
        body.ShouldNotContain(port);
        body.ShouldNotContain("127.0.0.1");
        body.ShouldNotContain("Exception", Case.Insensitive);
        body.ShouldNotContain("refused", Case.Insensitive);
    }
}
