namespace Gosuslugi.Health.Identity.Domain;

public enum OAuthClientType
{
    /// <summary>Cannot keep a secret (browser, mobile app): code + PKCE only, no client secret.</summary>
    Public = 0,

    /// <summary>Authenticates with a client secret (a medical organization's system).</summary>
    Confidential = 1,
}

/// <summary>A registered OAuth 2.0 client.</summary>
public sealed class OAuthClient
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The public <c>client_id</c>.</summary>
    public required string ClientId { get; init; }

    public required string DisplayName { get; set; }
    public OAuthClientType Type { get; init; }

    /// <summary>Hash of the client secret (<see cref="Tokens.SecretHasher"/>); null for public clients.</summary>
    public string? SecretHash { get; set; }

    /// <summary>Redirect URIs, compared by exact string match (RFC 9700 §4.1.1).</summary>
    public List<string> RedirectUris { get; set; } = [];

    public List<string> AllowedGrantTypes { get; set; } = [];
    public List<string> AllowedScopes { get; set; } = [];

    /// <summary>For a medical organization's client: the organization it acts as.</summary>
    public Guid? OrganizationId { get; set; }
    public string? OrganizationName { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public bool AllowsGrant(string grantType) => AllowedGrantTypes.Contains(grantType, StringComparer.Ordinal);
}

public static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";
}
