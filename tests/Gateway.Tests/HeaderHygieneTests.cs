using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class HeaderHygieneTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // What a client might send to pass for someone else, another organization, or another network address.
    static readonly Dictionary<string, string> Forged = new()
    {
        ["X-Forwarded-For"] = "10.66.66.66",
        ["X-Forwarded-Host"] = "evil.example",
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-Prefix"] = "/admin",
        ["X-Forwarded-User"] = "admin",
        ["Forwarded"] = "for=10.66.66.66;host=evil.example;proto=https",
        ["X-Real-IP"] = "10.66.66.66",
        ["X-Original-URL"] = "/api/v1/audit",
        ["X-Original-For"] = "10.66.66.66",
        ["X-User-Id"] = "00000000-0000-0000-0000-000000000001",
        ["X-User"] = "admin",
        ["X-Username"] = "admin",
        ["X-Client-Id"] = "medical-org",
        ["X-Client-IP"] = "10.66.66.66",
        ["X-Auth-Request-User"] = "admin",
        ["X-Authenticated-User"] = "admin",
        ["X-Identity"] = "admin",
        ["X-Roles"] = "admin",
        ["X-Role"] = "admin",
        ["X-Scope"] = "health.publish",
        ["X-Org-Id"] = "00000000-0000-0000-0000-000000000002",
        ["X-Organization"] = "GBUZ Polyclinic 7",
        ["X-Act-As"] = "00000000-0000-0000-0000-000000000003",
        ["X-Acting-For"] = "00000000-0000-0000-0000-000000000003",
        ["X-Subject"] = "00000000-0000-0000-0000-000000000001",
        ["X-Remote-User"] = "admin",
        ["X-Ms-Client-Principal"] = "eyJhZG1pbiI6dHJ1ZX0=",
        ["X-SSL-Client-Cert"] = "forged",
        ["True-Client-IP"] = "10.66.66.66",
        ["X-HTTP-Method-Override"] = "DELETE",
    };

    [Fact]
    public async Task Forged_identity_and_forwarding_headers_never_reach_a_service()
    {
        var token = fixture.PatientToken();

        using var response = await fixture.GetAsync("/api/v1/immunizations", token, Forged);

        var echo = await GatewayFixture.EchoOf(response);
        AssertClean(echo);
        echo.Header("Authorization").ShouldBe($"Bearer {token}");
    }

    [Fact]
    public async Task Forged_headers_are_removed_on_public_routes_too()
    {
        using var response = await fixture.GetAsync("/.well-known/openid-configuration", headers: Forged);

        AssertClean(await GatewayFixture.EchoOf(response));
    }

    [Fact]
    public async Task Forged_headers_do_not_make_a_request_authenticated()
    {
        using var response = await fixture.GetAsync("/api/v1/records", headers: Forged);

        await response.ShouldBeProblemAsync(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Client_baggage_is_not_propagated_to_services()
    {
        var headers = new Dictionary<string, string> { ["baggage"] = "user_id=evil,role=admin", ["Correlation-Context"] = "user_id=evil" };

        using var response = await fixture.GetAsync("/api/v1/notifications", fixture.PatientToken(), headers);

        var echo = await GatewayFixture.EchoOf(response);
        (echo.Header("baggage") ?? "").ShouldNotContain("evil");
        (echo.Header("Correlation-Context") ?? "").ShouldNotContain("evil");
    }

    static void AssertClean(EchoedRequest echo)
    {
        foreach (var name in Forged.Keys.Where(n => n is not ("X-Forwarded-For" or "X-Forwarded-Host" or "X-Forwarded-Proto")))
        {
            echo.Header(name).ShouldBeNull($"{name} came through");
        }

        // The gateway's own forwarding headers, from the real connection only.
        echo.Header("X-Forwarded-For").ShouldBe("127.0.0.1");
        echo.Header("X-Forwarded-Proto").ShouldBe("http");
        echo.Header("X-Forwarded-Host").ShouldNotBeNull().ShouldStartWith("127.0.0.1:");
        echo.Headers.Values.ShouldNotContain(v => v.Contains("10.66.66.66") || v.Contains("evil.example") || v == "admin");
    }
}
