using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Http;
using Gosuslugi.Health.ServiceDefaults.Logging;
using Gosuslugi.Health.ServiceDefaults.OpenApi;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;

namespace Gosuslugi.Health.ServiceDefaults;

/// <summary>Cross-cutting defaults shared by every service, identity and the gateway.</summary>
public static class Extensions
{
    /// <summary>Health-check tag of the checks that /health/ready runs.</summary>
    public const string ReadyTag = "ready";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Telemetry, service discovery and the standard resilience handler on every HttpClient, health checks, problem details, the client address from trusted proxies, JWT authentication with the
    /// shared policies and the token deny-list (Redis, ConnectionStrings:redis), correlation id.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLoggingDefaults();
        builder.AddServiceTelemetry();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries only for safe methods: a POST that timed out may have been done, and doing it twice is not ours to decide.
            http.AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.AddServiceProblemDetails();
        builder.AddForwardedHeadersDefaults();
        builder.AddServiceAuthentication();
        builder.AddServiceOpenApi();

        // A startup filter puts the error, correlation and telemetry middlewares at the very front of the
        // pipeline, whatever order a service calls its own Use*/Map* methods in.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ServiceDefaultsStartupFilter>());
        return builder;
    }

    /// <summary>
    /// /health/live (process is up, no dependency checks) and /health/ready (checks tagged "ready"), anonymous, in every
    /// environment; the OpenAPI document at /openapi/v1.json.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous().DisableHttpMetrics();

        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous().DisableHttpMetrics();

        app.MapServiceOpenApi();
        return app;
    }
}
