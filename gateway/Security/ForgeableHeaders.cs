namespace Gosuslugi.Health.Gateway.Security;

/// <summary>
/// Request headers a client could use to impersonate a user, an organization or the network path.
/// Services behind the gateway trust only the access token; these are dropped from every incoming request
/// before anything (the gateway itself or a service) can read them. YARP then sets X-Forwarded-For/Proto/Host
/// from the real connection.
/// </summary>
public static class ForgeableHeaders
{
    // Matched as case-insensitive prefixes, so "X-User" covers X-User, X-User-Id, X-Username, X-UserRoles.
    static readonly string[] Prefixes =
    [
        // forwarding and client address
        "Forwarded", "X-Forwarded", "X-Real-", "X-Original", "X-Rewrite-Url", "X-Host", "X-Remote", "X-Client",
        "X-Cluster-Client", "X-ProxyUser", "Client-IP", "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP",
        // identity asserted by a "trusted" upstream: user, roles, scopes, organization, acting party
        "X-User", "X-Auth", "X-Identity", "X-Principal", "X-Subject", "X-Sub", "X-Role", "X-Scope", "X-Org",
        "X-Tenant", "X-Act", "X-Delegat", "X-Impersonat", "X-Patient", "X-Snils", "X-Jwt", "X-Token",
        "X-Consumer", "X-Credential", "X-Anonymous", "X-Internal", "X-Gateway", "X-Ms-Client-Principal",
        "X-Ms-Token", "X-Amzn-Oidc", "X-Goog-Authenticated", "X-Apigateway", "X-Envoy",
        // client certificates asserted by a TLS terminator
        "X-SSL", "X-ARR-ClientCert", "Ssl-Client", "X-Client-Cert",
        // method tunnelling past method-based rules
        "X-Http-Method", "X-Method-Override",
        // W3C baggage flows into every service's Activity.Baggage; a client must not seed it
        "baggage", "Correlation-Context",
    ];

    public static bool IsForgeable(string headerName)
    {
        foreach (var prefix in Prefixes)
        {
            if (headerName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes every forgeable header from the request; returns how many were removed.</summary>
    public static int RemoveFrom(IHeaderDictionary headers)
    {
        List<string>? forged = null;
        foreach (var name in headers.Keys)
        {
            if (IsForgeable(name))
            {
                (forged ??= []).Add(name);
            }
        }

        if (forged is null)
        {
            return 0;
        }

        foreach (var name in forged)
        {
            headers.Remove(name);
        }

        return forged.Count;
    }
}
