using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Gateway.Routing;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class RoutingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string> Services => [.. GatewayRoutes.Services];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Valid_token_reaches_the_service_with_path_and_query_unchanged(string service)
    {
        var token = fixture.PatientToken();

        foreach (var path in new[] { $"/api/v1/{service}", $"/api/v1/{service}/", $"/api/v1/{service}/0198a6c2-1111-7000-8000-000000000001/items?from=2025-01-01&q=%D0%B3%D1%80%D0%B8%D0%BF%D0%BF" })
        {
            using var response = await fixture.GetAsync(path, token);
            var echo = await GatewayFixture.EchoOf(response);
            echo.Service.ShouldBe(service);
            echo.PathAndQuery.ShouldBe(path);
            echo.Header("Authorization").ShouldBe($"Bearer {token}", "services validate the token again");
            response.Headers.Server.ShouldBeEmpty("the echo service runs Kestrel; nobody outside needs to know");
        }
    }

    [Theory]
    [InlineData("/api/v1/sick-leave/certificates?from=2026-01-01")]
    [InlineData("/api/v1/sick-leave/organization/certificates")]
    public async Task Sick_leave_is_routed_under_its_hyphenated_path(string path)
    {
        using var response = await fixture.GetAsync(path, fixture.PatientToken());

        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe("sickleave");
        echo.PathAndQuery.ShouldBe(path);
    }

    [Fact]
    public async Task Methods_and_bodies_are_forwarded()
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/v1/immunizations", fixture.PatientToken(),
            content: JsonContent.Create(new { vaccine = "Гам-КОВИД-Вак" }));

        var echo = await GatewayFixture.EchoOf(response);
        echo.Method.ShouldBe("POST");
        echo.Service.ShouldBe("immunizations");
        echo.Header("Content-Type").ShouldStartWith("application/json");
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/connect/authorize?response_type=code&client_id=web&state=xyz")]
    [InlineData("/api/v1/account/register")]
    [InlineData("/pki/ca.crl")]
    public async Task Public_identity_routes_work_without_a_token(string path)
    {
        using var response = await fixture.GetAsync(path);

        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe("identity");
        echo.PathAndQuery.ShouldBe(path);
    }

    [Theory]
    [InlineData("/api/v1/admin/accounts?query=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2")]
    [InlineData("/api/v1/signatures/verify")]
    public async Task The_admin_and_signature_apis_reach_identity_only_with_a_token(string path)
    {

        using (var anonymous = await fixture.GetAsync(path))
        {
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
        fixture.Backends["identity"].Received.ShouldNotContain(r => r.PathAndQuery == path);

        // The gateway checks the token; the admin role is identity's to check.
        using var response = await fixture.GetAsync(path, fixture.PatientToken());
        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe("identity");
        echo.PathAndQuery.ShouldBe(path);
    }

    [Fact]
    public async Task FHIR_R4_reaches_records_its_metadata_without_a_token_the_rest_only_with_one()
    {
        using (var metadata = await fixture.GetAsync("/fhir/R4/metadata"))
        {
            var echo = await GatewayFixture.EchoOf(metadata);
            echo.Service.ShouldBe("records");
            echo.PathAndQuery.ShouldBe("/fhir/R4/metadata");
        }

        foreach (var path in new[] { "/fhir/R4", "/fhir/R4/Encounter" })
        {
            using (var anonymous = await fixture.SendAsync(HttpMethod.Post, path,
                       content: new StringContent("{\"resourceType\":\"Bundle\"}", System.Text.Encoding.UTF8, "application/fhir+json")))
            {
                await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            }
            fixture.Backends["records"].Received.ShouldNotContain(r => r.PathAndQuery == path);

            using var response = await fixture.SendAsync(HttpMethod.Post, path, fixture.PatientToken(),
                content: new StringContent("{\"resourceType\":\"Bundle\"}", System.Text.Encoding.UTF8, "application/fhir+json"));
            var echo = await GatewayFixture.EchoOf(response);
            echo.Service.ShouldBe("records");
            echo.Method.ShouldBe("POST");
            echo.PathAndQuery.ShouldBe(path);
            echo.Header("Content-Type").ShouldStartWith("application/fhir+json");
        }
    }

    [Fact]
    public async Task FHIR_MedicationRequest_and_MedicationDispense_reach_prescriptions_only_with_a_token()
    {
        foreach (var path in new[] { "/fhir/R4/MedicationRequest", "/fhir/R4/MedicationDispense", "/fhir/R4/MedicationRequest/123" })
        {
            using (var anonymous = await fixture.SendAsync(HttpMethod.Post, path,
                       content: new StringContent("{}", System.Text.Encoding.UTF8, "application/fhir+json")))
            {
                await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            }
            using var response = await fixture.SendAsync(HttpMethod.Post, path, fixture.PatientToken(),
                content: new StringContent("{}", System.Text.Encoding.UTF8, "application/fhir+json"));
            var echo = await GatewayFixture.EchoOf(response);
            echo.Service.ShouldBe("prescriptions");
            echo.PathAndQuery.ShouldBe(path);
        }
        // Not a prefix match: another resource type whose name starts the same stays Records'.
        using var other = await fixture.SendAsync(HttpMethod.Post, "/fhir/R4/MedicationRequestX", fixture.PatientToken(),
            content: new StringContent("{}", System.Text.Encoding.UTF8, "application/fhir+json"));
        (await GatewayFixture.EchoOf(other)).Service.ShouldBe("records");
    }

    [Fact]
    public async Task Token_endpoint_takes_a_form_post_without_a_token()
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/connect/token",
            content: new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));

        var echo = await GatewayFixture.EchoOf(response);
        echo.Service.ShouldBe("identity");
        echo.Method.ShouldBe("POST");
        echo.PathAndQuery.ShouldBe("/connect/token");
    }

    [Theory]
    [InlineData("/api/v1/unknown")]
    [InlineData("/api/v1/immunizationsX")]
    [InlineData("/api/v2/immunizations")]
    [InlineData("/connectX")]
    [InlineData("/")]
    public async Task Paths_without_a_route_are_closed_and_then_not_found(string path)
    {
        using (var anonymous = await fixture.GetAsync(path))
        {
            await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var authenticated = await fixture.GetAsync(path, fixture.PatientToken());
        await authenticated.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        fixture.Backends.Values.SelectMany(b => b.Received).ShouldNotContain(r => r.PathAndQuery == path);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Own_health_endpoints_are_anonymous(string path)
    {
        using var response = await fixture.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
    }
}
