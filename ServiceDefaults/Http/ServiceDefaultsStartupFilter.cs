using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Gosuslugi.Health.ServiceDefaults.Http;

internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // First, so that everything after it (logs, throttling, audit) sees the client's address, not the gateway's.
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before routing and every endpoint, so that no reader of any service sees text PostgreSQL cannot store.
        app.UseMiddleware<TextInputGuard>();
        next(app);
    };
}
