using Gosuslugi.Health.Identity.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Who and what an access token is for.</summary>
public sealed record AccessTokenRequest(
    string Subject,
    string ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Roles,
    Guid? OrganizationId = null,
    string? OrganizationName = null,
    string? Snils = null,
    DateTimeOffset? AuthTime = null);

public sealed record IssuedToken(string Token, TimeSpan Lifetime);

/// <summary>Signs access tokens (RFC 9068 JWT profile) and OpenID Connect ID tokens.</summary>
public sealed class TokenFactory(SigningKeyStore keys, IOptions<TokenServiceOptions> options, TimeProvider time)
{
    public const string AccessTokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IssuedToken> CreateAccessTokenAsync(AccessTokenRequest request, CancellationToken ct)
    {
        var o = options.Value;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.Subject,
            ["client_id"] = request.ClientId,
            [JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString(),
            ["scope"] = Scopes.Join(request.Scopes),
        };
        if (request.Roles.Count == 1) claims["role"] = request.Roles[0];
        else if (request.Roles.Count > 1) claims["role"] = request.Roles.ToList();
        if (request.OrganizationId is { } orgId) claims["org_id"] = orgId.ToString();
        if (request.OrganizationName is { } orgName) claims["org_name"] = orgName;
        if (request.Snils is { } snils) claims["snils"] = snils;
        if (request.AuthTime is { } authTime) claims[JwtRegisteredClaimNames.AuthTime] = authTime.ToUnixTimeSeconds();

        var token = await SignAsync(AccessTokenType, o.Audience, o.AccessTokenLifetime, claims, ct);
        return new IssuedToken(token, o.AccessTokenLifetime);
    }

    /// <summary>An ID token (OpenID Connect Core §2) for the client itself: <c>aud</c> is its client_id.</summary>
    public async Task<string> CreateIdTokenAsync(string subject, string clientId, DateTimeOffset authTime, string? nonce, CancellationToken ct)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.AuthTime] = authTime.ToUnixTimeSeconds(),
        };
        if (!string.IsNullOrEmpty(nonce)) claims[JwtRegisteredClaimNames.Nonce] = nonce;
        return await SignAsync(JwtConstants.HeaderType, clientId, options.Value.IdTokenLifetime, claims, ct);
    }

    private async Task<string> SignAsync(string type, string audience, TimeSpan lifetime, Dictionary<string, object> claims, CancellationToken ct)
    {
        var keySet = await keys.GetKeysAsync(ct);
        // Whole seconds, so that exp - iat is exactly the lifetime that expires_in announces.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = keySet.Signing,
        });
    }
}
