using System.Text.Json.Serialization;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope)
{
    [JsonPropertyName("token_type")] public string TokenType => "Bearer";

    [JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("id_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdToken { get; init; }

    /// <summary>RFC 8693 §2.2.1: the type of the token a token exchange issued.</summary>
    [JsonPropertyName("issued_token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IssuedTokenType { get; init; }
}

/// <summary>Either tokens or an OAuth error.</summary>
public readonly record struct GrantResult(TokenResponse? Tokens, OAuthError? Error)
{
    public static implicit operator GrantResult(TokenResponse tokens) => new(tokens, null);
    public static implicit operator GrantResult(OAuthError error) => new(null, error);
}
