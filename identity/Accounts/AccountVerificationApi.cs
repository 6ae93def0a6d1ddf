using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record VerificationCodeRequest(string? Code) : IJsonRequest<VerificationCodeRequest>;

public sealed record AccountLevelView(Guid UserId, string Level, DateTimeOffset? LevelConfirmedAt);

/// <summary>
/// Confirming a person's identity: the person enters a code handed over at a service centre
/// (<c>POST /api/v1/account/verification</c>); an operator issues such a code or confirms the account directly
/// (<c>/api/v1/admin/accounts/{id}/...</c>, role admin).
/// </summary>
public static class AccountVerificationApi
{
    public const string PersonPath = "/api/v1/account/verification";
    public const string AdminBasePath = "/api/v1/admin/accounts";

    public const string NotStandardDetail =
        "Подтвердить можно только стандартную учётную запись: сначала укажите в профиле СНИЛС, паспорт и полис ОМС.";
    public const string AlreadyConfirmedDetail = "Учётная запись уже подтверждена.";
    public const string WrongCodeMessage =
        "Код подтверждения неверный или устарел. Проверьте код или получите новый в центре обслуживания.";
    public const string AccountNotFoundDetail = "Учётная запись не найдена.";
    public const string NotPatientDetail = "Подтверждение личности нужно только учётной записи пациента.";
    public const string OwnAccountDetail = "Оператор не может подтвердить собственную учётную запись.";

    public static IEndpointRouteBuilder MapAccountVerificationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(PersonPath, ConfirmWithCodeAsync)
            .RequireAuthorization(Policies.Patient).DisableAntiforgery().WithTags("Account");

        var admin = app.MapGroup(AdminBasePath).RequireAuthorization(Policies.Admin).DisableAntiforgery().WithTags("Admin");
        admin.MapPost("/{id:guid}/verification-codes", IssueCodeAsync);
        admin.MapPost("/{id:guid}/confirmation", ConfirmByOperatorAsync);
        return app;
    }

    public sealed record VerificationServices(UserManager<HealthUser> Users, AccountVerification Verification);

    private static async Task<Results<Ok<AccountLevelView>, ValidationProblem, ProblemHttpResult>> ConfirmWithCodeAsync(
        Json<VerificationCodeRequest> body, ClaimsPrincipal principal, [AsParameters] VerificationServices s, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (user.Level == AccountLevel.Confirmed) return AccountProblems.Conflict(AlreadyConfirmedDetail, "already_confirmed");
        if (user.Level != AccountLevel.Standard) return AccountProblems.Conflict(NotStandardDetail, "documents_required");
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 40)
            return Problems.Validation("code", "Введите код подтверждения, полученный в центре обслуживания.");

        return await s.Verification.ConfirmWithCodeAsync(user, request.Code, ct) switch
        {
            VerificationOutcome.Confirmed => TypedResults.Ok(View(user)),
            VerificationOutcome.NotStandard => AccountProblems.Conflict(NotStandardDetail, "documents_required"),
            _ => Problems.Validation("code", WrongCodeMessage),
        };
    }

    private static async Task<Results<Created<IssuedVerificationCode>, ProblemHttpResult>> IssueCodeAsync(
        Guid id, ClaimsPrincipal principal, [AsParameters] VerificationServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var (user, problem) = await TargetAsync(id, principal, s.Users);
        if (problem is not null) return problem;
        var issued = await s.Verification.IssueCodeAsync(user!, principal.GetSubjectId(), ct);
        return TypedResults.Created((string?)null, issued);
    }

    private static async Task<Results<Ok<AccountLevelView>, ProblemHttpResult>> ConfirmByOperatorAsync(
        Guid id, ClaimsPrincipal principal, [AsParameters] VerificationServices s, HttpContext http, CancellationToken ct)
    {
        AccountProblems.NoStore(http);
        var (user, problem) = await TargetAsync(id, principal, s.Users);
        if (problem is not null) return problem;
        return await s.Verification.ConfirmByOperatorAsync(user!, principal.GetSubjectId(), ct) == VerificationOutcome.Confirmed
            ? TypedResults.Ok(View(user!))
            : AccountProblems.Conflict(NotStandardDetail, "documents_required");
    }

    /// <summary>The patient account an operator acts on, or the problem that says why not.</summary>
    private static async Task<(HealthUser? User, ProblemHttpResult? Problem)> TargetAsync(Guid id, ClaimsPrincipal principal, UserManager<HealthUser> users)
    {
        if (id == principal.GetSubjectId())
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: OwnAccountDetail));
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return (null, AccountProblems.NotFound(AccountNotFoundDetail));
        if (!await users.IsInRoleAsync(user, HealthRoles.Patient)) return (null, AccountProblems.Conflict(NotPatientDetail, "not_patient"));
        if (user.Level == AccountLevel.Confirmed) return (null, AccountProblems.Conflict(AlreadyConfirmedDetail, "already_confirmed"));
        if (user.Level != AccountLevel.Standard) return (null, AccountProblems.Conflict(NotStandardDetail, "documents_required"));
        return (user, null);
    }

    private static AccountLevelView View(HealthUser user) => new(user.Id, AccountClaims.LevelValue(user.Level), user.LevelConfirmedAt);
}
