using System.Net;
using Gosuslugi.Health.Gateway.ApiReference;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class ApiReferenceTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string> Documented => [.. GatewayApiReference.Documented];

    [Fact]
    public async Task Reference_is_served_without_a_token_with_every_document_and_its_own_assets()
    {
        using var response = await fixture.GetAsync(GatewayApiReference.Path + "/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        // Scalar resolves a source against the gateway's root: "openapi/records/v1.json" is /openapi/records/v1.json.
        foreach (var service in GatewayApiReference.Documented)
        {
            html.ShouldContain($"\"url\":\"{GatewayApiReference.DocumentPath(service).TrimStart('/')}\"");
        }
        // Rendered offline: the scripts come from the gateway, no CDN, no web fonts, no telemetry.
        html.ShouldNotContain("https://");
        html.ShouldContain("\"withDefaultFonts\":false");
        html.ShouldContain("\"telemetry\":false");
        foreach (var asset in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            html.ShouldContain($"src=\"{asset}\"");
            using var script = await fixture.GetAsync($"{GatewayApiReference.Path}/{asset}");
            script.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        }
    }

    [Fact]
    public async Task Reference_without_the_trailing_slash_is_reachable_too()
    {
        using var response = await fixture.GetAsync(GatewayApiReference.Path);

        if (response.StatusCode == HttpStatusCode.OK)
        {
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        }
        else
        {
            // Scalar sends the browser to /api/docs/ so that its relative script paths resolve under /api/docs.
            ((int)response.StatusCode).ShouldBeInRange(301, 308);
            response.Headers.Location!.ToString().ShouldEndWith("docs/");
        }
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public async Task Each_document_is_proxied_to_the_services_own_document_without_a_token(string service)
    {
        using var response = await fixture.GetAsync(GatewayApiReference.DocumentPath(service));

        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe(service);
        echo.Method.ShouldBe("GET");
        echo.PathAndQuery.ShouldBe("/openapi/v1.json");
    }

    [Fact]
    public async Task Only_the_documents_are_public_not_the_rest_of_the_services_openapi_paths()
    {
        using var response = await fixture.GetAsync("/openapi/records/v2.json");

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}
