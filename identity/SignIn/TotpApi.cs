using System.Security.Claims;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>
/// The signed-in person's authenticator app (TOTP), <c>/api/v1/account/totp</c>. Connecting, replacing or removing it
/// changes how the account is protected, so it needs a fresh sign-in with a second factor (<see cref="FreshSignIn"/>);
/// reading whether it is on does not.
/// </summary>
public static class TotpApi
{
    public const string BasePath = "/api/v1/account/totp";

    public const string NotStartedDetail = "Подключение приложения не начато или его 10 минут истекли. Начните подключение заново.";
    public const string TooManyAttemptsDetail = "Слишком много неверных кодов. Начните подключение приложения заново.";
    public const string WrongCodeMessage = "Код не подошёл. Введите текущий код из приложения; проверьте, что время на телефоне точное.";
    public const string CodeFormatMessage = "Введите 6 цифр кода из приложения.";
    public const string OnlyFactorDetail =
        "Нельзя отключить приложение: это единственный способ подтверждения входа. Сначала подтвердите телефон или электронную почту.";

    public static RouteGroupBuilder MapTotpApi(this IEndpointRouteBuilder app)
    {
        var totp = app.MapGroup(BasePath)
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .DisableAntiforgery()
            .WithTags("TOTP");
        totp.MapGet("/", GetAsync);
        totp.MapPost("/", StartAsync);
        totp.MapPost("/confirmation", ConfirmAsync);
        totp.MapDelete("/", DisableAsync);
        return totp;
    }

    public sealed record TotpServices(UserManager<HealthUser> Users, TotpEnrolments Enrolments, TimeProvider Time);

    public sealed record TotpStatus(bool Enabled, DateTimeOffset? EnabledAt);

    public sealed record TotpConfirmationRequest(string? Code) : IJsonRequest<TotpConfirmationRequest>;

    private static async Task<Results<Ok<TotpStatus>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal principal, [AsParameters] TotpServices s, HttpContext http)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        return TypedResults.Ok(Status(user));
    }

    /// <summary>A new secret for the app; it is on only after <see cref="ConfirmAsync"/>.</summary>
    private static async Task<Results<Ok<TotpEnrolment>, ProblemHttpResult>> StartAsync(
        ClaimsPrincipal principal, [AsParameters] TotpServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        return TypedResults.Ok(await s.Enrolments.StartAsync(user, ct));
    }

    private static async Task<Results<Ok<TotpStatus>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        Json<TotpConfirmationRequest>? body, ClaimsPrincipal principal, [AsParameters] TotpServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        if (SecondFactors.NormalizeCode(body?.Value.Code) is not { } code) return Problems.Validation("code", CodeFormatMessage);

        return await s.Enrolments.ConfirmAsync(user, code, ct) switch
        {
            TotpConfirmation.Enabled => TypedResults.Ok(Status(user)),
            TotpConfirmation.WrongCode => Problems.Validation("code", WrongCodeMessage),
            TotpConfirmation.TooManyAttempts => AccountProblems.Conflict(TooManyAttemptsDetail, "totp_enrolment_failed"),
            _ => AccountProblems.Conflict(NotStartedDetail, "totp_enrolment_not_started"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(
        ClaimsPrincipal principal, [AsParameters] TotpServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();
        if (user.TotpEnabledAt is not null && await s.Enrolments.IsOnlyFactorAsync(user))
            return AccountProblems.Conflict(OnlyFactorDetail, "only_second_factor");
        await s.Enrolments.DisableAsync(user, ct);
        return TypedResults.NoContent();
    }

    private static TotpStatus Status(HealthUser user) => new(user.TotpEnabledAt is not null && user.TotpSecret is not null, user.TotpEnabledAt);
}
