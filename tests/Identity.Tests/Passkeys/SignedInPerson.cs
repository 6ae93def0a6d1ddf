using System.Net.Http.Headers;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests.Passkeys;

/// <summary>
/// Access tokens for a test's own account, signed with identity's current signing key (from the running service's
/// own key store), so that the service accepts them exactly as the ones it issues at sign-in. Used where a test needs
/// a particular sign-in shape (which factors, how long ago, a representative's <c>act</c>) that the browser flow
/// would need minutes or another feature to produce.
/// </summary>
public static class SignedInPerson
{
    /// <summary>Password and a second factor: what a fresh sign-in with a code or passkey carries.</summary>
    public static readonly string[] WithSecondFactor = ["pwd", "otp", "mfa"];

    public static readonly string[] PasswordOnly = ["pwd"];

    /// <param name="extraClaims">Added to, or replacing, the defaults (role patient, scope "openid profile health").</param>
    public static async Task<string> AccessTokenAsync(IdentityServiceFixture fixture, Guid userId, string[] amr,
        DateTimeOffset? authTime = null, IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var keys = await fixture.WithScopeAsync(sp => sp.GetRequiredService<SigningKeyStore>().GetKeysAsync(CancellationToken.None).AsTask());
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(),
            ["client_id"] = "gosuslugi-web",
            ["jti"] = Guid.CreateVersion7().ToString(),
            ["scope"] = "openid profile health",
            ["role"] = "patient",
            ["amr"] = amr,
            ["auth_time"] = (authTime ?? now).ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>()) claims[name] = value;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = IdentityServiceFixture.Issuer,
            Audience = IdentityServiceFixture.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            Claims = claims,
            SigningCredentials = keys.Signing,
        });
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
