using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults;

// PLACEHOLDER: being implemented (telemetry, health, problem details, JWT validation).
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
        => builder;

    public static WebApplication MapDefaultEndpoints(this WebApplication app) => app;
}
