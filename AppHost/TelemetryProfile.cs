using System.Globalization;

namespace Gosuslugi.Health.AppHost;

public static class TelemetryProfile
{
    /// <summary>
    /// Below a ratio of 1, a project exports telemetry as it would in production instead of Aspire's development
    /// settings (every trace, batches and metrics every second): traces are sampled at the root (the gateway), a
    /// caller's decision is kept downstream (a traced request stays one whole trace), and spans, logs and metrics
    /// go out at OpenTelemetry's default intervals. Set after Aspire's own variables, so these win.
    /// </summary>
    public static IResourceBuilder<T> WithProductionTelemetry<T>(this IResourceBuilder<T> project, double traceRatio)
        where T : IResourceWithEnvironment
    {
        if (traceRatio >= 1) return project;
        return project
            .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
            .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", traceRatio.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "5000")
            .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "5000")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "60000");
    }
}
