using System.Diagnostics;
using System.Net;
using Gosuslugi.Health.Gateway.Tests.Infrastructure;
using OpenTelemetry;

namespace Gosuslugi.Health.Gateway.Tests;

public sealed class CorrelationAndTracingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    const string Header = "X-Correlation-Id";

    [Fact]
    public async Task A_sane_client_correlation_id_is_echoed_and_forwarded()
    {
        var id = "web-" + Guid.NewGuid().ToString("N");

        using var response = await fixture.GetAsync("/api/v1/appointments", fixture.PatientToken(), [new(Header, id)]);

        response.Headers.GetValues(Header).Single().ShouldBe(id);
        (await GatewayFixture.EchoOf(response)).Header(Header).ShouldBe(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has spaces and <script>")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_missing_or_insane_correlation_id_is_replaced_and_the_service_sees_the_replacement(string sent)
    {
        using var response = await fixture.GetAsync("/api/v1/appointments", fixture.PatientToken(),
            sent.Length == 0 ? null : [new(Header, sent)]);

        var id = response.Headers.GetValues(Header).Single();
        id.ShouldNotBe(sent);
        id.ShouldNotBeNullOrWhiteSpace();
        (await GatewayFixture.EchoOf(response)).Header(Header).ShouldBe(id);
    }

    [Theory]
    [InlineData("/api/v1/records", false, HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/records", true, HttpStatusCode.OK)]
    [InlineData("/nowhere", true, HttpStatusCode.NotFound)]
    [InlineData("/connect/authorize", false, HttpStatusCode.OK)]
    [InlineData("/health/live", false, HttpStatusCode.OK)]
    public async Task Every_response_carries_a_correlation_id(string path, bool withToken, HttpStatusCode status)
    {
        using var response = await fixture.GetAsync(path, withToken ? fixture.PatientToken() : null);

        response.StatusCode.ShouldBe(status);
        response.Headers.GetValues(Header).Single().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task The_trace_continues_through_the_gateway_to_the_service()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();

        HttpResponseMessage response;
        // The gateway's OpenTelemetry SDK shares this process: without the scope, its HttpClient instrumentation would
        // start a span for this test's own request and overwrite the traceparent a real (outside) client sends.
        using (SuppressInstrumentationScope.Begin())
        {
            response = await fixture.GetAsync("/api/v1/immunizations", fixture.PatientToken(),
                [new("traceparent", $"00-{traceId.ToHexString()}-{clientSpan.ToHexString()}-01")]);
        }
        using var _ = response;

        var traceparent = (await GatewayFixture.EchoOf(response)).Header("traceparent");
        traceparent.ShouldNotBeNull();
        var parts = traceparent.Split('-');
        parts[1].ShouldBe(traceId.ToHexString(), "same trace");
        parts[2].ShouldNotBe(clientSpan.ToHexString(), "the gateway's own span is the service's parent");
    }
}
