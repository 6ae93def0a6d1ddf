using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>
/// The authorization endpoint (RFC 6749 §3.1) with its sign-in: the password page, then the second factor
/// (<see cref="SignInSteps"/>); a browser with a live session gets its code at once. OpenIddict has validated the
/// request (and sent back what could go back); signing in hands the person to OpenIddict, which issues the code.
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
        SignInCompletion Completion,
        TimeProvider Time);

    private static async Task<Results<RazorComponentResult, SignInHttpResult, ForbidHttpResult, RedirectHttpResult>> AuthorizeAsync(
        HttpContext context, [AsParameters] AuthorizeServices s, CancellationToken ct)
    {
        var validation = await s.Requests.ReadAsync(context, ct);
        if (validation is AuthorizationValidation.ShowError show) return SignInPages.Error(context, show.RussianMessage);
        if (validation is AuthorizationValidation.RedirectError redirect) return TypedResults.Redirect(redirect.Location);
        var request = ((AuthorizationValidation.Valid)validation).Request;
        // OAuth lets a request leave the scope out; this service asks for one, so a client always says what it wants.
        if (request.Scopes.Count == 0) return Refuse(Errors.InvalidScope, "scope is required.");
        // RFC 7636 §4.2: 43 to 128 characters; OpenIddict checks only that a challenge is there.
        if (request.Parameters.CodeChallenge is not { Length: >= 43 and <= 128 } challenge || !challenge.All(IsUnreserved))
            return Refuse(Errors.InvalidRequest, "code_challenge is malformed.");

        var prompts = request.Parameters.GetPromptValues();
        var (user, session, authTime) = prompts.Contains(PromptValues.Login) ? default : await CurrentSessionAsync(context, s, ct);
        if (user is null || session is null)
        {
            if (prompts.Contains(PromptValues.None)) return Refuse(Errors.LoginRequired, "The user is not signed in.");
            return SignInPages.Login(context, request, s.Antiforgery.GetAndStoreTokens(context));
        }

        // The session is in use (shown as "last seen" in the person's list of sessions).
        await s.Sessions.TouchAsync(session.Id, ct);
        return s.Completion.Authorize(request, user, session, authTime);
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>An error OpenIddict sends back to the client's (verified) redirect URI.</summary>
    private static ForbidHttpResult Refuse(string error, string description) =>
        TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static async Task<(HealthUser? User, UserSession? Session, DateTimeOffset AuthTime)> CurrentSessionAsync(
        HttpContext context, AuthorizeServices s, CancellationToken ct)
    {
        // The session cookie is not the default scheme (bearer tokens are), so it is read explicitly.
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded || await s.Users.GetUserAsync(cookie.Principal) is not { } user) return default;
        if (s.Lockout.LockedUntil(user) is not null) return default;
        // A cookie whose session was ended (signed out elsewhere, ended from the list) no longer signs anyone in;
        // neither does one from before sessions and second factors existed.
        if (SessionStore.SessionIdOf(cookie.Principal) is not { } sessionId
            || await s.Sessions.FindActiveAsync(sessionId, ct) is not { } session || session.UserId != user.Id)
        {
            return default;
        }
        return (user, session, cookie.Properties?.IssuedUtc ?? s.Time.GetUtcNow());
    }
}
