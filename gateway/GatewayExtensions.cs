using System.Diagnostics;
using Gosuslugi.Health.Gateway.Problems;
using Gosuslugi.Health.Gateway.RateLimiting;
using Gosuslugi.Health.Gateway.Routing;
using Gosuslugi.Health.Gateway.Security;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Gosuslugi.Health.Gateway;

public static class GatewayExtensions
{
    /// <summary>
    /// The reverse proxy with its routes, the closed-by-default authorization, per-client rate limiting and
    /// Russian problem details. Token validation itself comes from ServiceDefaults, exactly as the services do it.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        services.AddProblemDetails();
        services.PostConfigure<ProblemDetailsOptions>(GatewayProblems.Customize);

        // A route without an explicit public marker needs a valid access token.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddHealthChecks().AddCheck<SigningKeysHealthCheck>("identity-signing-keys", tags: [Extensions.ReadyTag]);
        services.AddClientRateLimiting();
        services.AddSingleton<DistributedContextPropagator>(new NoClientBaggagePropagator(DistributedContextPropagator.Current));
        // The edge: the client's address is the TCP peer's, whatever X-Forwarded-For it sends (the services behind
        // trust the gateway's X-Forwarded-For instead, see ServiceDefaults' ForwardedHeadersDefaults).
        services.IgnoreForwardedHeaders();

        // Which server software answers (the gateway's or a service's) is nobody's business outside.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        // HTTPS with TLS 1.3 only when Gateway:Https names a port and a certificate; plain HTTP on loopback otherwise.
        builder.AddGatewayHttps();
        services.AddReverseProxy()
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                transforms.AddRequestTransform(ForwardCorrelationId);
                transforms.AddResponseHeaderRemove(HeaderNames.Server, ResponseCondition.Always);
                transforms.AddResponseTransform(GatewayProblems.ReplaceEmptyServiceErrors);
            });
        // Built when first resolved rather than now, so configuration added by hosts and tests after this call counts.
        services.AddSingleton<IProxyConfigProvider>(sp => new InMemoryConfigProvider(
            GatewayRoutes.BuildRoutes(),
            GatewayRoutes.BuildClusters(
                sp.GetRequiredService<IConfiguration>(),
                sp.GetRequiredService<IOptions<GatewayOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayRoutes)))));
        return builder;
    }

    /// <summary>The gateway's middleware, in the order that matters; call before MapReverseProxy.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        // First, so that neither the gateway nor a service ever sees what a client claims about itself.
        app.Use((context, next) =>
        {
            ForgeableHeaders.RemoveFrom(context.Request.Headers);
            return next(context);
        });

        // Authentication before the limiter, so that it can partition by client; authorization after it,
        // so that requests with bad tokens are limited (per address) too.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    // ServiceDefaults' middleware picked or made the id and echoes it to the client; the service must see the
    // same one, not whatever (possibly rejected) value the client sent.
    static ValueTask ForwardCorrelationId(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        headers.Remove(CorrelationIdMiddleware.HeaderName);
        if (CorrelationIdMiddleware.Get(transform.HttpContext) is { } correlationId)
        {
            headers.TryAddWithoutValidation(CorrelationIdMiddleware.HeaderName, correlationId);
        }

        return ValueTask.CompletedTask;
    }
}
