using Microsoft.AspNetCore.Authorization;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>
/// A scope a policy needs. A token without it is refused with a 403 problem that names the scope and what the frontend
/// must do (ask for it when the person signs in), instead of the bare "not allowed" that leaves a developer guessing.
/// </summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>The problem's <c>reason</c>; its <c>requiredScope</c> names the scope.</summary>
    public const string MissingScopeReason = "missing_scope";

    public string Scope { get; } = scope;

    public static AuthorizationRefusal MissingScope(IAuthorizationHandler handler, string scope) =>
        new(handler, MissingScopeReason,
            $"Токен выдан без области доступа «{scope}». Приложение должно запросить её при входе (scope=openid {scope}); " +
            "войдите в приложение заново.",
            new Dictionary<string, object?> { ["requiredScope"] = scope });

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasScope(requirement.Scope)) context.Succeed(requirement);
        else context.Fail(MissingScope(this, requirement.Scope));
        return Task.CompletedTask;
    }
}
