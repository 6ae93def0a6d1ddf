using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>RFC 9457 problems of the account API, each with a Russian detail that says what to do.</summary>
public static class AccountProblems
{
    public const string OwnAccountOnlyDetail =
        "Эти сведения доступны и изменяются только владельцем учётной записи, вошедшим от своего имени.";

    public const string CodeInvalid = "Код неверный или устарел. Запросите новый код и введите его.";
    public const string ThrottledDetail = "Код уже отправлен. Новый код можно запросить позже — время указано в заголовке Retry-After.";
    public const string FlowNotFoundDetail = "Заявка не найдена или устарела. Начните заново.";

    public static ProblemHttpResult OwnAccountOnly() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: OwnAccountOnlyDetail);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    public static ProblemHttpResult Conflict(string detail, string? reason = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: reason is null ? null : new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>429 with Retry-After in whole seconds (at least one).</summary>
    public static ProblemHttpResult Throttled(HttpContext http, TimeSpan retryAfter, string detail = ThrottledDetail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests", detail: detail,
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    /// <summary>Identity's errors (the password policy's are Russian already) as a validation problem on one field.</summary>
    public static ValidationProblem PasswordRejected(IEnumerable<IdentityError> errors, string field = "password") =>
        Problems.Validation(field, string.Join(" ", errors.Select(e => e.Description).Distinct()));

    /// <summary>Responses about a person's account are never cached by a browser or a proxy.</summary>
    public static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    /// <summary>
    /// The person the token belongs to; null for a token acting for someone else (a representative never changes the
    /// principal's account) or one without an account behind it.
    /// </summary>
    public static async Task<HealthUser?> OwnAccountAsync(ClaimsPrincipal principal, UserManager<HealthUser> users)
    {
        if (principal.IsActingForSomeoneElse()) return null;
        var subject = principal.FindFirst("sub")?.Value;
        return Guid.TryParse(subject, out _) ? await users.FindByIdAsync(subject!) : null;
    }
}
