namespace Gosuslugi.Health.Gateway;

/// <summary>Configuration section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// How long the gateway waits for a service to send anything (YARP activity timeout) before answering 504.
    /// An inactivity timeout rather than a total one, so that long-lived streams (server-sent events) keep working.
    /// </summary>
    public TimeoutOptions Timeouts { get; set; } = new();
}

public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Tokens added to each client's bucket per second.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Bucket size: how many requests a client may send at once after being idle.</summary>
    public int Burst { get; set; } = 200;
}

public sealed class TimeoutOptions
{
    public TimeSpan Default { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per service overrides, keyed by service name (<c>Gateway:Timeouts:Services:records = 00:01:00</c>).</summary>
    public Dictionary<string, TimeSpan> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan For(string service) => Services.TryGetValue(service, out var timeout) ? timeout : Default;
}
