using System.Security.Claims;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Either the principal that OpenIddict turns into tokens, or an OAuth error.</summary>
public readonly record struct GrantResult(ClaimsPrincipal? Principal, OAuthError? Error)
{
    public static implicit operator GrantResult(ClaimsPrincipal principal) => new(principal, null);
    public static implicit operator GrantResult(OAuthError error) => new(null, error);
}
