using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tokens;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Admin;

public sealed record AdminServices(AdminAccounts Accounts, TimeProvider Time);

/// <summary>
/// The operators' API (role admin): find accounts and see their state, change roles, lock and unlock, rotate the
/// signing keys. It never returns medical data or identity documents (see <see cref="AdminAccountSummary"/>).
/// </summary>
public static class AdminApi
{
    public const string Route = "/api/v1/admin";

    public const int DefaultPageSize = 50;
    private const int MaxQueryLength = 100;
    private const int MaxReasonLength = 500;

    private const string NotFoundDetail = "Учётная запись не найдена.";
    private const string ActingDetail = "Действия оператора выполняются только от его собственного имени.";

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(Route).RequireAuthorization(Policies.Admin).WithTags("Admin");
        // A token that acts for someone else is never an operator's, whatever roles it carries.
        admin.AddEndpointFilter(async (context, next) =>
            context.HttpContext.User.IsActingForSomeoneElse()
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ActingDetail)
                : await next(context));
        admin.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });

        admin.MapGet("/accounts", ListAsync);
        admin.MapGet("/accounts/{id:guid}", GetAsync);
        admin.MapPut("/accounts/{id:guid}/roles", SetRolesAsync);
        admin.MapPost("/accounts/{id:guid}/lock", LockAsync);
        admin.MapPost("/accounts/{id:guid}/unlock", UnlockAsync);
        admin.MapPost("/signing-keys/rotation", RotateKeysAsync);
        return admin;
    }

    public static async Task<Results<Ok<AdminAccountPage>, ValidationProblem>> ListAsync(
        string? query, string? role, string? level, string? cursor, int? limit, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var text = query?.Trim();
        if (text is { Length: > MaxQueryLength }) errors["query"] = [$"Строка поиска длиннее {MaxQueryLength} символов."];
        if (role is not null && !HealthRoles.PersonRoles.Contains(role, StringComparer.Ordinal))
            errors["role"] = ["Укажите роль: patient, doctor или admin."];
        AccountLevel? accountLevel = null;
        if (level is not null)
        {
            accountLevel = ParseLevel(level);
            if (accountLevel is null) errors["level"] = ["Укажите уровень: simplified, standard или confirmed."];
        }
        AdminAccountCursor? after = null;
        if (cursor is not null && !AdminAccountCursor.TryDecode(cursor, out after))
            errors["cursor"] = ["Курсор повреждён. Начните просмотр списка с первой страницы."];
        if (limit is < 1 or > AdminAccounts.MaxPageSize)
            errors["limit"] = [$"Размер страницы — от 1 до {AdminAccounts.MaxPageSize}."];
        if (errors.Count > 0) return Problems.Validation(errors);

        return TypedResults.Ok(await s.Accounts.ListAsync(
            new AdminAccountFilter(text, role, accountLevel, after, limit ?? DefaultPageSize), ct));
    }

    public static async Task<Results<Ok<AdminAccountView>, ProblemHttpResult>> GetAsync(Guid id, [AsParameters] AdminServices s, CancellationToken ct) =>
        await s.Accounts.FindAsync(id, ct) is { } account ? TypedResults.Ok(account) : NotFound();

    public static async Task<Results<Ok<AdminAccountView>, ValidationProblem, ProblemHttpResult>> SetRolesAsync(
        Guid id, Json<AdminRolesRequest> body, ClaimsPrincipal token, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var request = body.Value;
        if (request.Roles is not { Count: > 0 } roles) return Problems.Validation("roles", "Укажите хотя бы одну роль.");
        if (roles.FirstOrDefault(r => !HealthRoles.PersonRoles.Contains(r, StringComparer.Ordinal)) is { } unknown)
        {
            return Problems.Validation("roles",
                $"Роль «{unknown}» не назначается человеку. Допустимые роли: patient, doctor, admin.");
        }

        var (outcome, account) = await s.Accounts.SetRolesAsync(id, roles, token.GetSubjectId(), token.GetClientId(), ct);
        return outcome switch
        {
            AdminChange.Done => TypedResults.Ok(account!),
            AdminChange.NotFound => NotFound(),
            AdminChange.DoctorWithoutOrganization => Problems.Validation("roles",
                "Роль врача назначается сотруднику медицинской организации, а у этой учётной записи организация не указана."),
            AdminChange.LastAdmin => Conflict("Нельзя снять роль администратора с последнего действующего администратора.", "last_admin"),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }

    public static async Task<Results<Ok<AdminAccountView>, ValidationProblem, ProblemHttpResult>> LockAsync(
        Guid id, Json<AdminLockRequest> body, ClaimsPrincipal token, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var request = body.Value;
        var errors = new Dictionary<string, string[]>();
        if (request.Until is not { } until) errors["until"] = ["Укажите, до какого момента заблокировать учётную запись."];
        else if (until <= s.Time.GetUtcNow()) errors["until"] = ["Момент окончания блокировки должен быть в будущем."];
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors["reason"] = ["Укажите причину блокировки."];
        else if (reason.Length > MaxReasonLength) errors["reason"] = [$"Причина длиннее {MaxReasonLength} символов."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var (outcome, account) = await s.Accounts.LockAsync(id, request.Until!.Value, reason!, token.GetSubjectId(), token.GetClientId(), ct);
        return outcome switch
        {
            AdminChange.Done => TypedResults.Ok(account!),
            AdminChange.NotFound => NotFound(),
            AdminChange.OwnAccount => Conflict("Нельзя заблокировать собственную учётную запись.", "own_account"),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }

    public static async Task<Results<Ok<AdminAccountView>, ProblemHttpResult>> UnlockAsync(
        Guid id, ClaimsPrincipal token, [AsParameters] AdminServices s, CancellationToken ct)
    {
        var (outcome, account) = await s.Accounts.UnlockAsync(id, token.GetSubjectId(), token.GetClientId(), ct);
        return outcome == AdminChange.Done ? TypedResults.Ok(account!) : NotFound();
    }

    /// <summary>Rotates the signing keys now (a suspected leak, or a drill): the next key signs from now on.</summary>
    public static async Task<Ok<KeyRotationView>> RotateKeysAsync(ClaimsPrincipal token, SigningKeyStore keys, CancellationToken ct)
    {
        var rotation = await keys.RotateAsync(token.GetSubjectId(), onlyIfCurrentOlderThan: null, ct)
                       ?? throw new InvalidOperationException("An unconditional rotation did not happen.");
        return TypedResults.Ok(new KeyRotationView(rotation.PreviousKeyId, rotation.CurrentKeyId, rotation.NextKeyId, rotation.RotatedAt));
    }

    private static AccountLevel? ParseLevel(string level) => level switch
    {
        HealthClaims.AccountLevels.Simplified => AccountLevel.Simplified,
        HealthClaims.AccountLevels.Standard => AccountLevel.Standard,
        HealthClaims.AccountLevels.Confirmed => AccountLevel.Confirmed,
        _ => null,
    };

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: NotFoundDetail);

    private static ProblemHttpResult Conflict(string detail, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
