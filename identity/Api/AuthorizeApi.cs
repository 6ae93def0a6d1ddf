using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>The authorization endpoint (RFC 6749 §3.1) with its login page.</summary>
public static class AuthorizeApi
{
    public static RouteGroupBuilder MapAuthorizeApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapGet("/authorize", AuthorizeAsync);
        // The login form's antiforgery token is checked in the handler, after the OAuth parameters, so
        // that a stale form gets the login page again rather than a bare 400.
        connect.MapPost("/authorize", SignInAsync).DisableAntiforgery();
        return connect;
    }

    public sealed record AuthorizeServices(
        AuthorizationRequests Requests,
        UserManager<HealthUser> Users,
        SignInManager<HealthUser> SignIn,
        IAntiforgery Antiforgery,
        IOptions<AntiforgeryOptions> AntiforgeryOptions,
        TimeProvider Time,
        ILogger<AuthorizeServices> Logger);

    private const string GenericSignInError = "Неверный логин или пароль. После нескольких неудачных попыток вход временно блокируется.";

    private static async Task<Results<ContentHttpResult, RedirectHttpResult>> AuthorizeAsync(
        HttpContext context, [AsParameters] AuthorizeServices s, CancellationToken ct)
    {
        var validation = await s.Requests.ValidateAsync(new OAuthParameters(context.Request.Query), ct);
        if (validation is AuthorizationValidation.ShowError show) return LoginPage.Error(context, show.RussianMessage);
        if (validation is AuthorizationValidation.RedirectError redirect) return TypedResults.Redirect(s.Requests.RedirectWithError(redirect));
        var request = ((AuthorizationValidation.Valid)validation).Request;

        var prompts = request.Prompt?.Split(' ') ?? [];
        var (user, authTime) = prompts.Contains("login") ? (null, default) : await CurrentSessionAsync(context, s);
        if (user is null)
        {
            if (prompts.Contains("none"))
            {
                return TypedResults.Redirect(s.Requests.RedirectWithError(new AuthorizationValidation.RedirectError(
                    request.RedirectUri, OAuthError.LoginRequired("The user is not signed in."), request.State)));
            }
            return LoginPage.Login(context, request, s.Antiforgery.GetAndStoreTokens(context));
        }

        var code = await s.Requests.IssueCodeAsync(request, user.Id, authTime, ct);
        return TypedResults.Redirect(s.Requests.RedirectWithCode(request, code));
    }

    private static async Task<Results<ContentHttpResult, RedirectHttpResult, SeeOtherHttpResult>> SignInAsync(
        HttpContext context, [AsParameters] AuthorizeServices s, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType) return LoginPage.Error(context, "Запрос на вход повреждён.");
        var form = await context.Request.ReadFormAsync(ct);
        var antiforgeryField = s.AntiforgeryOptions.Value.FormFieldName;
        var oauthFields = form.Where(f => f.Key is not (LoginPage.UsernameField or LoginPage.PasswordField) && f.Key != antiforgeryField);

        var validation = await s.Requests.ValidateAsync(new OAuthParameters(oauthFields), ct);
        if (validation is AuthorizationValidation.ShowError show) return LoginPage.Error(context, show.RussianMessage);
        if (validation is AuthorizationValidation.RedirectError redirect) return TypedResults.Redirect(s.Requests.RedirectWithError(redirect));
        var request = ((AuthorizationValidation.Valid)validation).Request;

        var username = form[LoginPage.UsernameField].ToString().Trim();
        var password = form[LoginPage.PasswordField].ToString();
        ContentHttpResult Again(string error, int status = StatusCodes.Status200OK) =>
            LoginPage.Login(context, request, s.Antiforgery.GetAndStoreTokens(context), error, username, status);

        if (!await s.Antiforgery.IsRequestValidAsync(context))
            return Again("Страница входа устарела. Введите логин и пароль ещё раз.", StatusCodes.Status400BadRequest);
        if (username.Length == 0 || password.Length == 0) return Again("Введите логин и пароль.");

        var user = await FindUserAsync(s.Users, username, ct);
        if (user is null)
        {
            // Spend the time a real password check takes, so that timing does not tell which logins exist.
            s.Users.PasswordHasher.VerifyHashedPassword(new HealthUser { FamilyName = "", GivenName = "" }, DummyPasswordHash.Value, password);
            s.Logger.LogInformation("Sign-in failed: unknown login");
            return Again(GenericSignInError);
        }

        var result = await s.SignIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            s.Logger.LogInformation("Sign-in failed for user {UserId}: {Reason}", user.Id, result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed" : "wrong password");
            return Again(GenericSignInError);
        }

        // MFA (a later issue) goes here: a user with a second factor gets its page instead of a session.
        var now = s.Time.GetUtcNow();
        await s.SignIn.SignInAsync(user, isPersistent: false, authenticationMethod: "pwd");
        s.Logger.LogInformation("User {UserId} signed in for client {ClientId}", user.Id, request.Client.ClientId);

        var code = await s.Requests.IssueCodeAsync(request, user.Id, now, ct);
        return new SeeOtherHttpResult(s.Requests.RedirectWithCode(request, code));
    }

    private static async Task<(HealthUser? User, DateTimeOffset AuthTime)> CurrentSessionAsync(HttpContext context, AuthorizeServices s)
    {
        // The session cookie is not the default scheme (bearer tokens are), so it is read explicitly.
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || await s.Users.GetUserAsync(session.Principal) is not { } user) return (null, default);
        if (await s.Users.IsLockedOutAsync(user)) return (null, default);
        return (user, session.Properties?.IssuedUtc ?? s.Time.GetUtcNow());
    }

    /// <summary>A person signs in with their login or, like on Gosuslugi, with their SNILS.</summary>
    private static async Task<HealthUser?> FindUserAsync(UserManager<HealthUser> users, string login, CancellationToken ct)
    {
        if (await users.FindByNameAsync(login) is { } user) return user;
        return Snils.TryNormalize(login, out var snils)
            ? await users.Users.SingleOrDefaultAsync(u => u.Snils == snils, ct)
            : null;
    }

    private static readonly Lazy<string> DummyPasswordHash = new(() =>
        new PasswordHasher<HealthUser>().HashPassword(new HealthUser { FamilyName = "", GivenName = "" }, Guid.NewGuid().ToString()));
}
