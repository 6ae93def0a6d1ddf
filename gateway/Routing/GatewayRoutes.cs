using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gosuslugi.Health.Gateway.Routing;

/// <summary>One proxied path pattern. <see cref="IsPublic"/> routes are the only ones reachable without a token.</summary>
public sealed record GatewayRoute(string RouteId, string Service, string Path, bool IsPublic = false);

/// <summary>
/// The gateway's routing table, built in code. A service's destination is its service-discovery name
/// (<c>http://appointments</c>), resolved from <c>services:&lt;name&gt;:http:0</c> the way Aspire passes it.
/// Paths are forwarded unchanged.
/// </summary>
public static class GatewayRoutes
{
    public const string Identity = "identity";

    public static readonly IReadOnlyList<string> Services =
        ["appointments", "records", "immunizations", "prescriptions", "sickleave", "notifications", "disputes", "audit"];

    // YARP's reserved policy name that adds [AllowAnonymous] to a route.
    const string Anonymous = "anonymous";

    /// <summary>
    /// A route is closed unless it says IsPublic: a route without a policy falls under the gateway's
    /// fallback authorization policy (a valid access token).
    /// </summary>
    public static IReadOnlyList<GatewayRoute> Table { get; } =
    [
        new("identity-connect", Identity, "/connect/{**rest}", IsPublic: true),
        new("identity-well-known", Identity, "/.well-known/{**rest}", IsPublic: true),
        // Account self-service (registration, password reset) comes in a later issue; until then it is public as a whole.
        new("identity-account", Identity, "/api/v1/account/{**rest}", IsPublic: true),
        // The local test CA's certificate and CRL: public, as every CA's are (certificates name this CRL's address).
        new("identity-pki", Identity, "/pki/{**rest}", IsPublic: true),
        // Signature verification for organizations' systems: a token at the edge, the role and scope checked by identity.
        new("identity-signatures", Identity, "/api/v1/signatures/{**rest}"),
        // Operators' API: closed at the edge too (a valid token); identity checks the admin role itself.
        new("identity-admin", Identity, "/api/v1/admin/{**rest}"),
        // FHIR R4 for medical organizations' systems (Records' resources; see README "Publishing records"): the
        // CapabilityStatement is public, as FHIR servers publish it; everything else needs a token.
        new("fhir-metadata", "records", "/fhir/R4/metadata", IsPublic: true),
        // E-prescriptions (README "Prescriptions") are Prescriptions' own: their more specific paths win over the catch-all.
        new("fhir-medication-request", "prescriptions", "/fhir/R4/MedicationRequest/{**rest}"),
        new("fhir-medication-dispense", "prescriptions", "/fhir/R4/MedicationDispense/{**rest}"),
        new("fhir", "records", "/fhir/R4/{**rest}"),
        // An optional catch-all also matches the bare collection path (/api/v1/immunizations).
        .. Services.Select(service => new GatewayRoute(service, service, $"/api/v1/{service}/{{**rest}}")),
        // Sick leave's API is /api/v1/sick-leave (the service's resource name has no hyphen).
        new("sick-leave", "sickleave", "/api/v1/sick-leave/{**rest}"),
    ];

    public static IReadOnlyList<RouteConfig> BuildRoutes() =>
        Table.Select(route => new RouteConfig
        {
            RouteId = route.RouteId,
            ClusterId = route.Service,
            Match = new RouteMatch { Path = route.Path },
            AuthorizationPolicy = route.IsPublic ? Anonymous : null,
        }).ToList();

    public static IReadOnlyList<ClusterConfig> BuildClusters(IConfiguration configuration, GatewayOptions options, ILogger logger) =>
        Services.Prepend(Identity).Select(service =>
        {
            var url = DiscoveryAddress(configuration, service);
            if (url is null)
            {
                // Keep the route so that callers get a 503 problem instead of an unexplained 404.
                logger.LogWarning("No URL configured for service {Service} (services:{Service}:http:0); its routes answer 503", service, service);
            }

            return new ClusterConfig
            {
                ClusterId = service,
                Destinations = url is null
                    ? new Dictionary<string, DestinationConfig>()
                    : new Dictionary<string, DestinationConfig> { [service] = new() { Address = url } },
                HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.Timeouts.For(service) },
            };
        }).ToList();

    /// <summary>http://{service} (or https://) when configuration holds an endpoint of that scheme for it, else null.</summary>
    public static string? DiscoveryAddress(IConfiguration configuration, string service) =>
        NullIfEmpty(configuration[$"services:{service}:http:0"]) is not null ? $"http://{service}"
        : NullIfEmpty(configuration[$"services:{service}:https:0"]) is not null ? $"https://{service}"
        : null;

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
