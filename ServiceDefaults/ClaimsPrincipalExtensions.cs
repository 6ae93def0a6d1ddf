using System.Security.Claims;
using Gosuslugi.Health.ServiceDefaults.Auth;

namespace Gosuslugi.Health.ServiceDefaults;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The <c>sub</c> claim as a Guid. Throws when absent or not a Guid: call it only behind a policy that guarantees a user.</summary>
    public static Guid GetSubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.Subject)?.Value, out var id)
            ? id
            : throw new InvalidOperationException("The token has no sub claim that is a Guid.");

    /// <summary>The <c>org_id</c> claim, or null.</summary>
    public static Guid? GetOrganizationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(HealthClaims.OrganizationId)?.Value, out var id) ? id : null;

    /// <summary>The <c>org_name</c> claim, or null.</summary>
    public static string? GetOrganizationName(this ClaimsPrincipal user) =>
        user.FindFirst(HealthClaims.OrganizationName)?.Value;

    /// <summary>The <c>client_id</c> claim, or null.</summary>
    public static string? GetClientId(this ClaimsPrincipal user) => user.FindFirst(HealthClaims.ClientId)?.Value;

    /// <summary>Scopes of the token (the space-separated <c>scope</c> claim, or several scope claims).</summary>
    public static IReadOnlySet<string> GetScopes(this ClaimsPrincipal user) =>
        user.FindAll(HealthClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);

    public static bool HasScope(this ClaimsPrincipal user, string scope) => user.GetScopes().Contains(scope);
}
