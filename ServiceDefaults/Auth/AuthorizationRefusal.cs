using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>
/// A requirement's refusal that the person can act on (confirm the account, give consent, ...). The 403 problem then
/// carries <see cref="Detail"/> and <see cref="Reason"/> instead of the generic "not allowed".
/// </summary>
public sealed class AuthorizationRefusal(IAuthorizationHandler handler, string reason, string detail,
    IReadOnlyDictionary<string, object?>? extensions = null)
    : AuthorizationFailureReason(handler, detail)
{
    /// <summary>More members of the problem, for a frontend or its developer (e.g. the scope that is missing).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    /// <summary>Stable code, written as the problem's <c>reason</c> extension.</summary>
    public string Reason { get; } = reason;

    /// <summary>Russian text for the person: what happened and what to do.</summary>
    public string Detail => Message;
}

/// <summary>
/// Writes a forbidden request that an <see cref="AuthorizationRefusal"/> explains as an RFC 9457 problem with its
/// Russian detail; everything else is left to the framework's default (challenge or forbid by the scheme).
/// </summary>
internal sealed class RefusalProblemResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var refusal = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailureReasons.OfType<AuthorizationRefusal>().FirstOrDefault()
            : null;
        if (refusal is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = refusal.Detail,
            Extensions = { ["reason"] = refusal.Reason },
        };
        foreach (var (name, value) in refusal.Extensions) problem.Extensions[name] = value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
