using System.Net.Http.Json;
using System.Text.Json;

namespace Gosuslugi.Health.EndToEnd.Tests;

/// <summary>One span as the dashboard received it over OTLP.</summary>
public sealed record ExportedSpan(string Service, string Scope, string Name, int Kind, string TraceId, string SpanId, string? ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes)
{
    public const int Server = 2, Client = 3, Producer = 4, Consumer = 5;
    public override string ToString() => $"[{Service} {Scope} kind={Kind} '{Name}' {SpanId} <- {ParentSpanId}]";
}

/// <summary>Reads a trace from the Aspire dashboard's telemetry API (GET /api/telemetry/traces/{traceId}, OTLP JSON).</summary>
public sealed class DashboardTraces(Uri dashboard)
{
    private readonly HttpClient _http = new() { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(20) };

    public async Task<IReadOnlyList<ExportedSpan>> SpansAsync(string traceId)
    {
        using var response = await _http.GetAsync($"api/telemetry/traces/{traceId}");
        if (!response.IsSuccessStatusCode) return [];
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var spans = new List<ExportedSpan>();
        if (!body.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resourceSpans)) return spans;
        foreach (var resourceSpan in resourceSpans.EnumerateArray())
        {
            var service = Attributes(resourceSpan.GetProperty("resource")).GetValueOrDefault("service.name", "?");
            foreach (var scopeSpan in resourceSpan.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpan.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString()! : "";
                foreach (var span in scopeSpan.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new ExportedSpan(service, scope, span.GetProperty("name").GetString()!, Kind(span),
                        span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                        Attributes(span)));
                }
            }
        }
        return spans;
    }

    /// <summary>Polls until <paramref name="complete"/> holds for the trace's spans (export is batched, consumers are late).</summary>
    public async Task<IReadOnlyList<ExportedSpan>> WaitForAsync(string traceId, Func<IReadOnlyList<ExportedSpan>, bool> complete, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = await SpansAsync(traceId);
            if (complete(spans) || DateTime.UtcNow > deadline) return spans;
            await Task.Delay(1000);
        }
    }

    public static IEnumerable<ExportedSpan> Ancestors(ExportedSpan span, IReadOnlyList<ExportedSpan> spans)
    {
        var bySpanId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var current = span;
        for (var depth = 0; depth < 64 && current.ParentSpanId is { } parentId && bySpanId.TryGetValue(parentId, out var parent); depth++)
        {
            yield return parent;
            current = parent;
        }
    }

    private static int Kind(JsonElement span) => span.TryGetProperty("kind", out var kind)
        ? kind.ValueKind == JsonValueKind.Number ? kind.GetInt32() : kind.GetString() switch
        {
            "SPAN_KIND_SERVER" => 2, "SPAN_KIND_CLIENT" => 3, "SPAN_KIND_PRODUCER" => 4, "SPAN_KIND_CONSUMER" => 5, _ => 1,
        }
        : 0;

    private static Dictionary<string, string> Attributes(JsonElement element)
    {
        var result = new Dictionary<string, string>();
        if (!element.TryGetProperty("attributes", out var attributes)) return result;
        foreach (var attribute in attributes.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            var text = value.EnumerateObject().FirstOrDefault() is { Value: var v } ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText() : "";
            result[attribute.GetProperty("key").GetString()!] = text;
        }
        return result;
    }
}
