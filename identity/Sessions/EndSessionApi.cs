using Gosuslugi.Health.Identity.Api;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;

namespace Gosuslugi.Health.Identity.Sessions;

/// <summary>
/// OpenID Connect RP-Initiated Logout 1.0: an application sends the person here to sign out. The session named by the
/// ID token (<c>id_token_hint</c>) and the browser's sign-in session end, the sign-in cookie is removed (a remembered
/// device stays remembered), and the person returns to a registered address of the application.
/// </summary>
public static class EndSessionApi
{
    public const string Path = "/connect/endsession";

    public sealed record EndSessionServices(
        IdentityDb Db,
        IOpenIddictApplicationManager Applications,
        SessionStore Sessions,
        OwnTokenReader Tokens,
        UserManager<HealthUser> Users,
        IAntiforgery Antiforgery,
        ILogger<EndSessionServices> Logger);

    /// <param name="Hint">The validated ID token, when one was sent.</param>
    /// <param name="Client">The application, from client_id or the hint's audience.</param>
    /// <param name="PostLogoutRedirectUri">Where to return: exactly one of the client's registered redirect URIs.</param>
    private sealed record EndSessionRequest(JsonWebToken? Hint, string? ClientId, string? PostLogoutRedirectUri, string? State)
    {
        /// <summary>The parameters the confirmation form carries back.</summary>
        public IEnumerable<KeyValuePair<string, string>> FormFields()
        {
            if (ClientId is not null) yield return new("client_id", ClientId);
            if (PostLogoutRedirectUri is not null) yield return new("post_logout_redirect_uri", PostLogoutRedirectUri);
            if (State is not null) yield return new("state", State);
        }
    }

    public static RouteGroupBuilder MapEndSessionApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapGet("/endsession", EndSessionAsync);
        // An application's form post carries no antiforgery token; the confirmation form does, and it is checked there.
        connect.MapPost("/endsession", EndSessionAsync).DisableAntiforgery();
        return connect;
    }

    private static async Task<Results<RazorComponentResult, SeeOtherHttpResult>> EndSessionAsync(
        HttpContext context, [AsParameters] EndSessionServices s, CancellationToken ct)
    {
        var isPost = HttpMethods.IsPost(context.Request.Method);
        if (isPost && !context.Request.HasFormContentType) return SignOutPages.Error(context, "Запрос на выход повреждён.");
        var p = new OAuthParameters(isPost ? await context.Request.ReadFormAsync(ct) : context.Request.Query);

        var (request, error) = await ValidateAsync(p, s, ct);
        if (request is null) return SignOutPages.Error(context, error!);

        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var cookieUserId = cookie.Succeeded ? s.Users.GetUserId(cookie.Principal) : null;
        var hintUserId = request.Hint?.Subject;

        if (request.Hint is null && cookieUserId is not null)
        {
            // Without an ID token nothing proves that the application asked: the person confirms with a form.
            var confirmed = isPost && p[SignOutPages.ConfirmField] == SignOutPages.ConfirmValue;
            if (!confirmed) return SignOutPages.Confirm(context, s.Antiforgery.GetAndStoreTokens(context), request.FormFields());
            if (!await s.Antiforgery.IsRequestValidAsync(context))
            {
                return SignOutPages.Confirm(context, s.Antiforgery.GetAndStoreTokens(context), request.FormFields(),
                    StatusCodes.Status400BadRequest);
            }
        }

        // The hint's session: only if it is still that person's (a sid is not a secret, the signed hint is).
        if (request.Hint is not null && Guid.TryParse(hintUserId, out var hintUser)
            && request.Hint.TryGetPayloadValue<string>(HealthClaims.SessionId, out var hintSid) && Guid.TryParse(hintSid, out var hintSessionId)
            && await s.Db.Sessions.AnyAsync(x => x.Id == hintSessionId && x.UserId == hintUser, ct))
        {
            await s.Sessions.EndAsync(hintSessionId, SessionEndReasons.SignedOut, ct);
        }

        // The browser's session, unless the hint names someone else: one person's application cannot sign out another.
        if (cookieUserId is not null && (hintUserId is null || hintUserId == cookieUserId))
        {
            if (SessionStore.SessionIdOf(cookie.Principal!) is { } cookieSessionId)
                await s.Sessions.EndAsync(cookieSessionId, SessionEndReasons.SignedOut, ct);
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            // A half-finished sign-in (password given, second factor not yet) ends too; a remembered device does not.
            await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        }
        s.Logger.LogInformation("End-session request from client {ClientId} handled (hint: {HasHint}, browser session: {HasCookie})",
            request.ClientId, request.Hint is not null, cookieUserId is not null);

        if (request.PostLogoutRedirectUri is { } redirect)
        {
            var location = request.State is null ? redirect : QueryHelpers.AddQueryString(redirect, "state", request.State);
            return new SeeOtherHttpResult(location);
        }
        return SignOutPages.SignedOut(context);
    }

    private static async Task<(EndSessionRequest? Request, string? RussianError)> ValidateAsync(
        OAuthParameters p, EndSessionServices s, CancellationToken ct)
    {
        if (p.RepeatedParameter is not null) return (null, "Запрос на выход повреждён: параметр передан несколько раз.");

        JsonWebToken? hint = null;
        if (p["id_token_hint"] is { } hintValue)
        {
            // An expired ID token is a fine hint (the person may come back hours later); a forged one is not.
            hint = await s.Tokens.ReadAsync(hintValue, JwtConstants.HeaderType, audience: null, ct);
            if (hint is null) return (null, "Приложение передало недействительные сведения о входе.");
        }

        var clientId = p["client_id"];
        if (hint is not null)
        {
            var audiences = hint.Audiences.ToList();
            if (clientId is not null && !audiences.Contains(clientId, StringComparer.Ordinal))
                return (null, "Сведения о входе выданы другому приложению.");
            clientId ??= audiences.Count == 1 ? audiences[0] : null;
        }

        object? client = null;
        if (clientId is not null)
        {
            client = await s.Applications.FindByClientIdAsync(clientId, ct);
            if (client is null) return (null, "Приложение, которое запросило выход, не зарегистрировано.");
        }

        var redirectUri = p["post_logout_redirect_uri"];
        if (redirectUri is not null)
        {
            // Exact match with a registered address (RFC 9700 §4.1.1): anything else would make this an open redirector.
            if (client is null) return (null, "В запросе на выход не указано приложение.");
            if (!await s.Applications.ValidatePostLogoutRedirectUriAsync(client, redirectUri, ct))
                return (null, "Адрес возврата не зарегистрирован для этого приложения.");
        }

        return (new EndSessionRequest(hint, clientId, redirectUri, p["state"]), null);
    }
}
