using System.Text.Json.Serialization;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// An OAuth 2.0 error (RFC 6749 §5.2). The description is for the client's developer and must be
/// ASCII, so it is in English.
/// </summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    [JsonIgnore] public int StatusCode { get; init; } = StatusCodes.Status400BadRequest;

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);
    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description);
    public static OAuthError UnauthorizedClient(string description) => new("unauthorized_client", description);
    public static OAuthError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);
    public static OAuthError InvalidScope(string description) => new("invalid_scope", description);
}
