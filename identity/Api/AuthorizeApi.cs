using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>
/// The authorization endpoint (RFC 6749 §3.1) with its sign-in: the password page, then the second factor
/// (<see cref="SignInSteps"/>); a browser with a live session gets its code at once.
/// </summary>
public static class AuthorizeApi
{
    public static RouteGroupBuilder MapAuthorizeApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapGet("/authorize", AuthorizeAsync);
        // The forms' antiforgery tokens are checked in the handlers, after the OAuth parameters, so that a stale
        // form gets the sign-in page again rather than a bare 400.
        connect.MapPost("/authorize", SignInSteps.SubmitPasswordAsync).DisableAntiforgery();
        connect.MapPost("/authorize/second-factor", SignInSteps.SubmitSecondFactorAsync).DisableAntiforgery();
        return connect;
    }

    public sealed record AuthorizeServices(
        AuthorizationRequests Requests,
        UserManager<HealthUser> Users,
        IAntiforgery Antiforgery,
        SessionStore Sessions,
        AccountLockout Lockout,
        TimeProvider Time);

    private static async Task<Results<RazorComponentResult, RedirectHttpResult>> AuthorizeAsync(
        HttpContext context, [AsParameters] AuthorizeServices s, CancellationToken ct)
    {
        var validation = await s.Requests.ValidateAsync(new OAuthParameters(context.Request.Query), ct);
        if (validation is AuthorizationValidation.ShowError show) return SignInPages.Error(context, show.RussianMessage);
        if (validation is AuthorizationValidation.RedirectError redirect) return TypedResults.Redirect(s.Requests.RedirectWithError(redirect));
        var request = ((AuthorizationValidation.Valid)validation).Request;

        var prompts = request.Prompt?.Split(' ') ?? [];
        var (user, sessionId, authTime) = prompts.Contains("login") ? (null, default, default) : await CurrentSessionAsync(context, s, ct);
        if (user is null)
        {
            if (prompts.Contains("none"))
            {
                return TypedResults.Redirect(s.Requests.RedirectWithError(new AuthorizationValidation.RedirectError(
                    request.RedirectUri, OAuthError.LoginRequired("The user is not signed in."), request.State)));
            }
            return SignInPages.Login(context, request, s.Antiforgery.GetAndStoreTokens(context));
        }

        var code = await s.Requests.IssueCodeAsync(request, user.Id, sessionId, authTime, ct);
        return TypedResults.Redirect(s.Requests.RedirectWithCode(request, code));
    }

    private static async Task<(HealthUser? User, Guid SessionId, DateTimeOffset AuthTime)> CurrentSessionAsync(
        HttpContext context, AuthorizeServices s, CancellationToken ct)
    {
        // The session cookie is not the default scheme (bearer tokens are), so it is read explicitly.
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded || await s.Users.GetUserAsync(cookie.Principal) is not { } user) return (null, default, default);
        if (s.Lockout.LockedUntil(user) is not null) return (null, default, default);
        // A cookie whose session was ended (signed out elsewhere, ended from the list) no longer signs anyone in;
        // neither does one from before sessions and second factors existed.
        if (SessionStore.SessionIdOf(cookie.Principal) is not { } sessionId
            || await s.Sessions.FindActiveAsync(sessionId, ct) is not { } session || session.UserId != user.Id)
        {
            return (null, default, default);
        }
        return (user, sessionId, cookie.Properties?.IssuedUtc ?? s.Time.GetUtcNow());
    }
}
