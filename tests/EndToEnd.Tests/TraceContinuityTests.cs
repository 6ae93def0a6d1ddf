using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>
/// One request keeps one trace: the client's traceparent is continued by the gateway, by Immunizations behind it,
/// by the outbox relay that publishes the event later on its own background loop, and by the Notifications
/// consumer on the other side of RabbitMQ.
/// </summary>
/// <remarks>
/// Every service runs in this process, so ambient state must not be able to fake the result: the test client sends
/// only the traceparent header (it propagates nothing of its own and has no current activity), the services talk
/// over real sockets and the broker, and the spans are found by what they are (server span of the first hop, message
/// id of the outbox row), never by their trace id. The relay's loop starts with the host, long before the request, so
/// a relay that did not restore the stored traceparent would publish under a fresh trace id and fail the test.
/// </remarks>
public sealed class TraceContinuityTests(HealthSystem system) : IClassFixture<HealthSystem>
{
    private static readonly TimeSpan EventualTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_request_keeps_one_trace_across_gateway_service_outbox_bus_and_consumer()
    {
        // Nothing of the test's own async context may become the parent of anything below.
        Activity.Current = null;
        using var recorder = new ActivityRecorder();
        using var organization = await OrganizationClientAsync();

        var (traceId, clientSpanId, response) = await RecordTracedAsync(organization);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var immunizationId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The event as Immunizations stored it: its row id becomes the MassTransit MessageId.
        var outboxRow = await OutboxRowOfAsync(immunizationId);
        outboxRow.TraceParent.ShouldNotBeNull("the outbox row keeps the traceparent of the request that wrote it");
        outboxRow.TraceParent.ShouldContain(traceId.ToHexString());

        // Wait until Notifications has consumed it: its receive span stops after the consumer ran in a child span.
        var receive = await EventuallyAsync(() => recorder.Stopped.FirstOrDefault(a =>
            a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && MessageId(a) == outboxRow.Id
            && Equals(a.GetTagItem("messaging.operation"), "receive")));
        var consume = recorder.Stopped.FirstOrDefault(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer
                                                           && a.ParentSpanId == receive.SpanId);
        consume.ShouldNotBeNull(Describe("no consumer ran for the received message", recorder.Stopped, receive.TraceId));
        var publish = recorder.Stopped.FirstOrDefault(a =>
            a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer && MessageId(a) == outboxRow.Id);
        publish.ShouldNotBeNull(Describe("MassTransit recorded no send span for the outbox message", recorder.Stopped, traceId));

        var spans = recorder.Stopped.ToArray();
        var bySpanId = spans.GroupBy(a => a.SpanId).ToDictionary(g => g.Key, g => g.First());

        // Gateway: the server span that continues the client's span directly.
        var gateway = spans.SingleOrDefault(a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server
                                                 && a.ParentSpanId == clientSpanId);
        gateway.ShouldNotBeNull("no server span continued the client's traceparent (the gateway started a new trace)");
        gateway.TraceId.ShouldBe(traceId);

        // Immunizations: a second server span, reached from the gateway through an outgoing HTTP call.
        var service = spans.SingleOrDefault(a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server
                                                 && a != gateway && a.TraceId == traceId
                                                 && Equals(a.GetTagItem("url.path"), "/api/v1/immunizations")
                                                 && Ancestors(a, bySpanId).Any(p => p.Source.Name == "System.Net.Http" && p.Kind == ActivityKind.Client)
                                                 && Ancestors(a, bySpanId).Contains(gateway));
        service.ShouldNotBeNull(Describe("no Immunizations server span under the gateway's span", spans, traceId));
        service.GetTagItem("http.response.status_code").ShouldBe(201);

        // The relay's publish (on a background loop, after the request ended) continues the request's trace ...
        publish.TraceId.ShouldBe(traceId, "the outbox relay published under another trace id than the request's");
        Ancestors(publish, bySpanId).ShouldContain(service, "the publish span does not descend from the Immunizations request");

        // ... and so does the consumer in Notifications, on the other side of the broker.
        consume.TraceId.ShouldBe(traceId, "the Notifications consumer did not continue the publisher's trace");
        receive.TraceId.ShouldBe(traceId);
        Ancestors(consume, bySpanId).ShouldContain(publish, "the consume span does not descend from the publish span");
        Ancestors(consume, bySpanId).ShouldContain(gateway);
    }

    /// <summary>
    /// Posts a vaccination with a fresh traceparent per attempt. Right after start-up Immunizations may not yet know the
    /// patient (422 on snils until identity's PatientRegistered arrives); only the attempt that succeeds counts.
    /// </summary>
    private async Task<(ActivityTraceId TraceId, ActivitySpanId SpanId, HttpResponseMessage Response)> RecordTracedAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        var externalId = $"e2e-trace-{Guid.CreateVersion7():N}";
        while (true)
        {
            var traceId = ActivityTraceId.CreateRandom();
            var spanId = ActivitySpanId.CreateRandom();
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/immunizations")
            {
                Content = JsonContent.Create(Vaccination(system.Accounts.Patient.Snils, externalId)),
            };
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{spanId.ToHexString()}-01");
            HttpResponseMessage response;
            // The services' OpenTelemetry SDKs share this process: their HttpClient instrumentation would otherwise
            // start a span for this client's request and overwrite the traceparent it sends.
            using (OpenTelemetry.SuppressInstrumentationScope.Begin())
            {
                response = await client.SendAsync(request);
            }
            if (response.StatusCode != HttpStatusCode.UnprocessableEntity || DateTime.UtcNow > deadline)
                return (traceId, spanId, response);
            response.Dispose();
            await Task.Delay(200);
        }
    }

    private async Task<OutboxMessage> OutboxRowOfAsync(Guid immunizationId)
    {
        await using var scope = system.Immunizations.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImmunizationsDb>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(ImmunizationRecorded).FullName)
            .ToListAsync();
        return rows.Single(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("immunizationId").GetGuid() == immunizationId);
    }

    // MassTransit tags the receive span with both names, the send span only with its own.
    private static Guid? MessageId(Activity activity) =>
        Guid.TryParse((activity.GetTagItem("messaging.message.id") ?? activity.GetTagItem("messaging.masstransit.message_id"))?.ToString(),
            out var id) ? id : null;

    private static IEnumerable<Activity> Ancestors(Activity activity, IReadOnlyDictionary<ActivitySpanId, Activity> bySpanId)
    {
        var current = activity;
        for (var depth = 0; depth < 64 && bySpanId.TryGetValue(current.ParentSpanId, out var parent); depth++)
        {
            if (parent.TraceId != current.TraceId) yield break;
            yield return parent;
            current = parent;
        }
    }

    private static string Describe(string problem, IEnumerable<Activity> spans, ActivityTraceId traceId) =>
        problem + "; spans of the trace: " + string.Join(", ", spans.Where(a => a.TraceId == traceId)
            .Select(a => $"[{a.Source.Name} {a.Kind} '{a.DisplayName}' {a.SpanId} <- {a.ParentSpanId}]"));

    private static async Task<Activity> EventuallyAsync(Func<Activity?> probe)
    {
        var deadline = DateTime.UtcNow + EventualTimeout;
        while (true)
        {
            if (probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The Notifications consumer did not receive the event in time.");
            await Task.Delay(100);
        }
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

    private async Task<HttpClient> OrganizationClientAsync()
    {
        var token = await system.OrganizationTokenAsync();

        // The client itself must not inject a traceparent of its own: only the header the test sets is sent.
        var handler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() };
        var client = new HttpClient(handler) { BaseAddress = system.GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Records every span the gateway and the services start in this process.</summary>
    private sealed class ActivityRecorder : IDisposable
    {
        private static readonly HashSet<string> Sources =
            ["Microsoft.AspNetCore", "Yarp.ReverseProxy", "System.Net.Http", "MassTransit", "Npgsql", "Gosuslugi.Health.Outbox"];

        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public ActivityRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => Sources.Contains(source.Name),
                // Not the test client's own request (a client span without a parent): sampled, it would let the
                // in-process services' HttpClient instrumentation overwrite the traceparent the client sends.
                Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                    o.Source.Name == "System.Net.Http" && o.Parent == default
                        ? ActivitySamplingResult.None
                        : ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IEnumerable<Activity> Stopped => _stopped;

        public void Dispose() => _listener.Dispose();
    }
}
