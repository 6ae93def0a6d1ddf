using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Gosuslugi.Health.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    public static readonly string[] TraceSources =
        ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", "Yarp.ReverseProxy", "Gosuslugi.Health.*"];

    public static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql", "MassTransit"];

    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = ServiceName(builder);
        var useOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging =>
        {
            logging.ConfigureResource(r => r.AddService(serviceName));
            if (useOtlp) logging.AddOtlpExporter();
        });

        // The SDK (tracer + meter providers) lives as long as the host: the owner below disposes it on shutdown,
        // which flushes what is still buffered.
        builder.Services.AddSingleton(sp => new TelemetryOwner(serviceName, useOtlp));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryOwner>());
        return builder;
    }

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

/// <summary>Creates the OpenTelemetry SDK when the host starts and disposes it when the host stops.</summary>
internal sealed class TelemetryOwner(string serviceName, bool useOtlp) : IHostedService, IDisposable
{
    private OpenTelemetrySdk? _sdk;
    private readonly Lock _lock = new();

    public OpenTelemetrySdk Sdk
    {
        get
        {
            lock (_lock)
            {
                return _sdk ??= OpenTelemetrySdk.Create(otel =>
                {
                    otel.ConfigureResource(r => r.AddService(serviceName));
                    otel.WithTracing(t => t.AddSource(TelemetryExtensions.TraceSources));
                    otel.WithMetrics(m => m.AddMeter(TelemetryExtensions.Meters));
                    if (useOtlp) otel.UseOtlpExporter();
                });
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Sdk;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_lock)
        {
            _sdk?.Dispose();
            _sdk = null;
        }
    }
}
