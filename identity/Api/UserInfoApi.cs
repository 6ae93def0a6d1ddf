using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>The OpenID Connect UserInfo endpoint (Core §5.3): claims about the person a token belongs to.</summary>
public static class UserInfoApi
{
    public static RouteGroupBuilder MapUserInfoApi(this IEndpointRouteBuilder app)
    {
        // Tokens are validated by ServiceDefaults' bearer scheme, fed with identity's own keys; the
        // handler answers with RFC 6750 challenges itself.
        var connect = app.MapGroup("/connect").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        connect.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync);
        return connect;
    }

    private static async Task<Results<JsonHttpResult<Dictionary<string, object>>, StatusCodeHttpResult>> UserInfoAsync(
        HttpContext context, UserManager<HealthUser> users)
    {
        context.Response.Headers.CacheControl = "no-store";
        var authentication = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!authentication.Succeeded)
            return Challenge(context, StatusCodes.Status401Unauthorized, authentication.Failure is null ? null : "invalid_token");

        var claims = authentication.Principal;
        var scopes = Scopes.Parse(claims.FindFirst("scope")?.Value) ?? [];
        if (!scopes.Contains(Scopes.OpenId)) return Challenge(context, StatusCodes.Status403Forbidden, "insufficient_scope");

        var subject = claims.FindFirst("sub")?.Value;
        if (!Guid.TryParse(subject, out _) || await users.FindByIdAsync(subject) is not { } user)
            return Challenge(context, StatusCodes.Status401Unauthorized, "invalid_token");

        var info = new Dictionary<string, object> { ["sub"] = user.Id.ToString() };
        if (scopes.Contains(Scopes.Profile))
        {
            info["name"] = user.FullName;
            info["family_name"] = user.FamilyName;
            info["given_name"] = user.GivenName;
            if (user.MiddleName is not null) info["middle_name"] = user.MiddleName;
            if (user.BirthDate is { } birthDate) info["birthdate"] = birthDate.ToString("yyyy-MM-dd");
            if (user.UserName is not null) info["preferred_username"] = user.UserName;
            var roles = await users.GetRolesAsync(user);
            info["role"] = roles.Order(StringComparer.Ordinal).ToArray();
            if (user.Snils is not null && roles.Contains(HealthRoles.Patient)) info["snils"] = user.Snils;
            if (user.OrganizationId is { } orgId) info["org_id"] = orgId;
            if (user.OrganizationName is not null) info["org_name"] = user.OrganizationName;
            info["acc_level"] = Accounts.AccountClaims.LevelValue(user.Level);
        }
        return TypedResults.Json(info);
    }

    private static StatusCodeHttpResult Challenge(HttpContext context, int status, string? error)
    {
        context.Response.Headers.WWWAuthenticate = error is null
            ? "Bearer realm=\"gosuslugi-health\""
            : $"Bearer realm=\"gosuslugi-health\", error=\"{error}\"";
        return TypedResults.StatusCode(status);
    }
}
