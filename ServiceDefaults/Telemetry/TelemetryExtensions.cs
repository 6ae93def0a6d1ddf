using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gosuslugi.Health.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Sources without an instrumentation package of their own: the bus, the proxy and our code.</summary>
    public static readonly string[] TraceSources = ["MassTransit", "Yarp.ReverseProxy", "Gosuslugi.Health.*"];

    public static readonly string[] Meters = ["Microsoft.AspNetCore.Server.Kestrel", "MassTransit", "Gosuslugi.Health.*"];

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry (ASP.NET Core, HttpClient, runtime, Npgsql, MassTransit, YARP,
    /// Redis through its client integration); exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(new ServiceIdentity(ServiceName(builder)));
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName(builder)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters))
            .WithTracing(tracing => tracing
                // Probes every few seconds would drown the traces that matter.
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(TraceSources));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsHealthProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(Extensions.LivePath) || path.StartsWithSegments(Extensions.ReadyPath);

    public static string ServiceName(IHostApplicationBuilder builder) =>
        ServiceName(builder.Configuration, builder.Environment);

    /// <summary>OTEL_SERVICE_NAME, else the application's name without its namespace, in lower case.</summary>
    public static string ServiceName(IConfiguration configuration, IHostEnvironment environment)
    {
        var name = configuration["OTEL_SERVICE_NAME"];
        if (!string.IsNullOrWhiteSpace(name)) return name;
        name = environment.ApplicationName;
        // "Gosuslugi.Health.Immunizations" -> "immunizations"
        var lastDot = name.LastIndexOf('.');
        return (lastDot >= 0 ? name[(lastDot + 1)..] : name).ToLowerInvariant();
    }
}

/// <summary>This service's name as telemetry and the access log state it, read from the configuration once.</summary>
internal sealed record ServiceIdentity(string Name);
