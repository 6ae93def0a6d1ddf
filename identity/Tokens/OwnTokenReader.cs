using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// Reads a JWT that identity itself issued, checking issuer, signature (any published key: current, next, previous),
/// algorithm and type but not its lifetime: revocation takes expired access tokens, and an end-session request may
/// carry an expired ID token as its hint (OpenID Connect RP-Initiated Logout §2).
/// </summary>
public sealed class OwnTokenReader(SigningKeyStore keys, IOptions<TokenServiceOptions> options)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <param name="type">The <c>typ</c> it must have: <see cref="TokenFactory.AccessTokenType"/> or "JWT" (an ID token).</param>
    /// <param name="audience">The <c>aud</c> it must have, or null to accept any (the caller checks it).</param>
    /// <returns>The token, or null when it is not one of ours.</returns>
    public async Task<JsonWebToken?> ReadAsync(string token, string type, string? audience, CancellationToken ct)
    {
        if (!Handler.CanReadToken(token)) return null;
        var result = await ValidateAsync(token, type, audience, ct);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Another instance may have rotated the keys since this one cached them.
            keys.RequestRefresh();
            result = await ValidateAsync(token, type, audience, ct);
        }
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, string type, string? audience, CancellationToken ct)
    {
        var keySet = await keys.GetKeysAsync(ct);
        return await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            ValidateLifetime = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = keySet.ValidationKeys,
            ValidAlgorithms = SigningKeyStore.Algorithms,
            ValidTypes = [type],
        });
    }
}
