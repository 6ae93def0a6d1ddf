using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Delegations;

/// <summary>The person behind a bearer token on the account API, and the rules about their age.</summary>
public static class AccountCaller
{
    public const int AgeOfMajority = 18;

    /// <summary>A person's access token (role patient). Whether it may be a delegated one is each endpoint's decision.</summary>
    public static readonly AuthorizationPolicy PersonPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireRole(HealthRoles.Patient)
        .Build();

    /// <summary>
    /// The account of the token's <c>sub</c> as it is now (level, birth date), or null when it no longer exists, is
    /// locked out, or is a child's account (nobody signs in to those).
    /// </summary>
    public static async Task<HealthUser?> FindAsync(ClaimsPrincipal token, UserManager<HealthUser> users)
    {
        if (!Guid.TryParse(token.FindFirst(HealthClaims.Subject)?.Value, out var id)) return null;
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null || user.IsManagedByGuardian || await users.IsLockedOutAsync(user)) return null;
        return user;
    }

    /// <summary>Full years on <paramref name="day"/>.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }

    public static bool IsAdult(HealthUser user, DateOnly today) =>
        user.BirthDate is { } birthDate && AgeOn(birthDate, today) >= AgeOfMajority;

    /// <summary>The day a child comes of age: a guardian's delegation ends at its start (UTC).</summary>
    public static DateTimeOffset ComingOfAge(DateOnly birthDate) =>
        new(birthDate.AddYears(AgeOfMajority).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
