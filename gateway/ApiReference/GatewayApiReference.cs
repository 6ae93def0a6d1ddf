using Gosuslugi.Health.Gateway.Routing;
using Gosuslugi.Health.ServiceDefaults.OpenApi;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Configuration;

namespace Gosuslugi.Health.Gateway.ApiReference;

/// <summary>
/// The API reference for organizations' integrators: Scalar at <see cref="Path"/>, rendered from the assets inside the
/// gateway (no CDN, no web fonts, no telemetry), with each service's and identity's OpenAPI document selectable. The
/// browser reads the documents through public gateway routes, /openapi/&lt;service&gt;/v1.json, each proxied to the
/// service's own /openapi/v1.json; they describe the routes as the gateway exposes them (same paths).
/// </summary>
public static class GatewayApiReference
{
    public const string Path = "/api/docs";

    // YARP's reserved policy name that adds [AllowAnonymous] to a route.
    const string Anonymous = "anonymous";

    /// <summary>Identity first, then the services, as the gateway routes them.</summary>
    public static IReadOnlyList<string> Documented { get; } = [GatewayRoutes.Identity, .. GatewayRoutes.Services];

    public static string DocumentPath(string service) => $"/openapi/{service}/{OpenApiDefaults.DocumentName}.json";

    /// <summary>
    /// The public document routes, in a proxy configuration of their own beside the routing table (YARP merges the
    /// providers; the clusters are the routing table's).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IProxyConfigProvider>(new InMemoryConfigProvider(DocumentRoutes(), []));
        return builder;
    }

    public static IReadOnlyList<RouteConfig> DocumentRoutes() =>
        Documented.Select(service => new RouteConfig
        {
            RouteId = $"{service}-openapi",
            ClusterId = service,
            Match = new RouteMatch { Path = DocumentPath(service), Methods = [HttpMethods.Get, HttpMethods.Head] },
            AuthorizationPolicy = Anonymous,
            Transforms = [new Dictionary<string, string> { ["PathSet"] = OpenApiDefaults.DocumentPath }],
        }).ToList();

    public static WebApplication MapGatewayApiReference(this WebApplication app)
    {
        app.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("Моё здоровье: API")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .AddPreferredSecuritySchemes(OpenApiDefaults.BearerScheme);
            foreach (var service in Documented)
            {
                options.AddDocument(service, Title(service), DocumentPath(service), isDefault: service == "records");
            }
        }).AllowAnonymous();
        return app;
    }

    static string Title(string service) => service switch
    {
        "identity" => "Identity (accounts, delegations, consents)",
        "sickleave" => "Sick leave",
        _ => char.ToUpperInvariant(service[0]) + service[1..],
    };
}
