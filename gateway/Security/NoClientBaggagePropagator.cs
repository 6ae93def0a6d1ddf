using System.Diagnostics;

namespace Gosuslugi.Health.Gateway.Security;

/// <summary>
/// Continues a client's W3C trace context (traceparent/tracestate) but ignores the baggage it sends:
/// ASP.NET Core extracts baggage into the request activity before any middleware runs, and the proxy would
/// then inject it into every service call, so a client could plant key/value pairs that services read as ours.
/// Baggage added inside the system still propagates (injection is unchanged).
/// </summary>
public sealed class NoClientBaggagePropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
