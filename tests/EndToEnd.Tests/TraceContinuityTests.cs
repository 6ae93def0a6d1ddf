using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// One request keeps one trace, as the ops team sees it on the Aspire dashboard: the client's traceparent is continued
/// by the gateway, by the service behind it, by the outbox relay that publishes the event later on its own background
/// loop, and by every consumer on the other side of RabbitMQ. The spans are read back from the dashboard's telemetry
/// API (what each service exported over OTLP), found by what they are, and linked by their parent span ids.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TraceContinuityTests(HealthSystem system)
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task One_request_keeps_one_trace_across_gateway_service_outbox_bus_and_consumer()
    {
        using var organization = await UntracedClientAsync(await system.OrganizationTokenAsync());
        var externalId = $"e2e-trace-{Guid.CreateVersion7():N}";

        var (traceId, clientSpanId, response) = await SendTracedAsync(organization, () => new HttpRequestMessage(HttpMethod.Post, "api/v1/immunizations")
        {
            Content = JsonContent.Create(Vaccination(system.Accounts.Patient.Snils, externalId)),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        await AssertOneTraceAsync(traceId, clientSpanId, "immunizations", "/api/v1/immunizations", consumers: ["notifications", "audit"]);
    }

    [Fact]
    public async Task One_booking_is_one_trace_across_gateway_appointments_the_bus_records_notifications_and_audit()
    {
        var accounts = system.Accounts;
        using var organization = system.GatewayClient(await system.OrganizationTokenAsync());
        var patientToken = await system.SignInAsync(accounts.Patient);
        using var patient = await UntracedClientAsync(patientToken);

        (await organization.PutAsJsonAsync("api/v1/appointments/org/profile", new
        {
            name = accounts.MedicalOrganization.OrganizationName, kind = "polyclinic",
            address = "г. Москва, ул. Ленина, д. 1", phone = "+74951234567",
        })).EnsureSuccessStatusCode();
        (await organization.PutAsJsonAsync("api/v1/appointments/org/doctors/e2e-trace-surgeon", new
        {
            familyName = "Соколов", givenName = "Игорь", middleName = "Павлович", specialty = "surgeon",
        })).EnsureSuccessStatusCode();
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(4));
        (await organization.PostAsJsonAsync("api/v1/appointments/org/doctors/e2e-trace-surgeon/schedule", new
        {
            from = day, to = day, weekdays = new[] { 1, 2, 3, 4, 5, 6, 7 }, start = "11:00", end = "12:00", slotMinutes = 20, telemedicine = false,
        })).EnsureSuccessStatusCode();
        var slots = await patient.GetFromJsonAsync<JsonElement>(
            $"api/v1/appointments/slots?specialty=surgeon&organizationId={accounts.MedicalOrganization.OrganizationId}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        var slotId = slots.GetProperty("items")[0].GetProperty("id").GetGuid();

        var (traceId, clientSpanId, response) = await SendTracedAsync(patient, () => new HttpRequestMessage(HttpMethod.Post, "api/v1/appointments")
        {
            Content = JsonContent.Create(new { slotId }),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        // AppointmentBooked's consumers, and Audit, which chains the booking's access event into the patient's log.
        string[] consumers = ["records", "notifications", "audit"];
        await AssertOneTraceAsync(traceId, clientSpanId, "appointments", "/api/v1/appointments", consumers);
    }

    /// <summary>
    /// Polls the dashboard until the trace is whole (each service exports its spans in its own batches, consumers run
    /// later), then asserts it: see <see cref="WhatIsMissing"/>.
    /// </summary>
    private async Task AssertOneTraceAsync(string traceId, string clientSpanId, string service, string path, string[] consumers)
    {
        var spans = await new DashboardTraces(system.DashboardUrl).WaitForAsync(traceId,
            s => WhatIsMissing(s, traceId, clientSpanId, service, path, consumers) is null, EventualTimeout);
        WhatIsMissing(spans, traceId, clientSpanId, service, path, consumers)
            .ShouldBeNull("spans of the trace: " + string.Join(", ", spans));
    }

    /// <summary>
    /// gateway server span (child of the client's span) → the service's server span (under the gateway's outgoing HTTP
    /// call) → a MassTransit publish span under it (the outbox relay) → each consumer's consume span under that publish.
    /// Null when all of it is there.
    /// </summary>
    private static string? WhatIsMissing(IReadOnlyList<ExportedSpan> spans, string traceId, string clientSpanId, string service, string path, string[] consumers)
    {
        if (spans.Any(s => s.TraceId != traceId)) return "a span of another trace";
        var gateway = spans.FirstOrDefault(s => s.Service.StartsWith("gateway", StringComparison.Ordinal) && s.Kind == ExportedSpan.Server && s.ParentSpanId == clientSpanId);
        if (gateway is null) return "no gateway server span continued the client's traceparent";

        var server = spans.FirstOrDefault(s => s.Service.StartsWith(service, StringComparison.Ordinal) && s.Kind == ExportedSpan.Server
                                               && s.Attributes.GetValueOrDefault("url.path") == path);
        if (server is null) return $"no {service} server span for {path}";
        var serverAncestors = DashboardTraces.Ancestors(server, spans).ToList();
        if (!serverAncestors.Contains(gateway)) return $"the {service} server span does not descend from the gateway's";
        if (!serverAncestors.Any(s => s.Kind == ExportedSpan.Client && s.Service.StartsWith("gateway", StringComparison.Ordinal)))
            return "no outgoing HTTP call of the gateway between the two server spans";
        if (!spans.Any(s => s.Service.StartsWith(service, StringComparison.Ordinal) && s.Scope == "Npgsql" && DashboardTraces.Ancestors(s, spans).Contains(server)))
            return $"no PostgreSQL span of {service} under its request";

        var publishes = spans.Where(s => s.Service.StartsWith(service, StringComparison.Ordinal) && s.Kind == ExportedSpan.Producer
                                         && DashboardTraces.Ancestors(s, spans).Contains(server)).ToList();
        if (publishes.Count == 0) return $"no publish span of {service} under its request (outbox relay)";

        foreach (var consumer in consumers)
        {
            var consume = spans.FirstOrDefault(s => IsConsumeIn(consumer)(s) && DashboardTraces.Ancestors(s, spans).Any(publishes.Contains));
            if (consume is null) return $"no consume span in {consumer} under the publish";
            if (!spans.Any(s => s.Service.StartsWith(consumer, StringComparison.Ordinal) && s.Scope == "Npgsql" && DashboardTraces.Ancestors(s, spans).Contains(consume)))
                return $"no PostgreSQL span of {consumer} under its consume span";
        }
        return null;
    }

    private static Func<ExportedSpan, bool> IsConsumeIn(string service) =>
        s => s.Service.StartsWith(service, StringComparison.Ordinal) && s.Kind == ExportedSpan.Consumer;

    /// <summary>
    /// Sends with a fresh traceparent per attempt. Right after start-up a service may not yet know the patient (422 until
    /// identity's events arrive); only the attempt that succeeds counts.
    /// </summary>
    private static async Task<(string TraceId, string SpanId, HttpResponseMessage Response)> SendTracedAsync(HttpClient client, Func<HttpRequestMessage> create)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            var spanId = ActivitySpanId.CreateRandom().ToHexString();
            using var request = create();
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{spanId}-01");
            var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.UnprocessableEntity || DateTime.UtcNow > deadline) return (traceId, spanId, response);
            response.Dispose();
            await Task.Delay(500);
        }
    }

    /// <summary>A client that sends only the traceparent the test sets (it propagates nothing of its own).</summary>
    private Task<HttpClient> UntracedClientAsync(string token)
    {
        var handler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() };
        var client = new HttpClient(handler) { BaseAddress = system.GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Task.FromResult(client);
    }

    private static object Vaccination(string snils, string externalId) => new
    {
        snils,
        externalId,
        vaccine = new { code = "J07BB02", name = "Ультрикс Квадри" },
        disease = "Грипп",
        doseNumber = 1,
        administeredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
    };
}
