using System.ComponentModel.DataAnnotations;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Configuration section <c>Identity</c>.</summary>
public sealed class TokenServiceOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The public base URL (in the running system the gateway's), the <c>iss</c> of every token and the
    /// base of every endpoint in the discovery document.
    /// </summary>
    [Required]
    public string Issuer { get; set; } = "";

    public string Audience { get; set; } = "gosuslugi-health-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Lifetime of one refresh token; using it before then gives a new one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A sign-in lasts at most this long, however often its refresh token is rotated.</summary>
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Create demo accounts and clients on first start (the database has no users).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>Where the demo accounts are written (for example <c>.data/demo.json</c>).</summary>
    public string? DemoFile { get; set; }

    /// <summary>The issuer without a trailing slash; endpoint URLs are built on it.</summary>
    public string IssuerUrl => Issuer.TrimEnd('/');

    public string EndpointUrl(string path) => IssuerUrl + path;
}
