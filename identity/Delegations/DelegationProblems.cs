using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Delegations;

/// <summary>Problems (RFC 9457) of the delegation and restriction APIs, with a Russian detail and a machine-readable reason.</summary>
public static class DelegationProblems
{
    public const string AccountNotConfirmedReason = "account_not_confirmed";
    public const string NotAnAdultReason = "not_an_adult";
    public const string OwnAccountOnlyReason = "own_account_only";

    public static ProblemHttpResult AccountNotConfirmed() => Problem(StatusCodes.Status403Forbidden, AccountNotConfirmedReason,
        "Выдавать доступ и действовать за другого человека может только подтверждённая учётная запись. " +
        "Подтвердите личность в центре обслуживания или кодом подтверждения из личного кабинета.");

    public static ProblemHttpResult NotAnAdult() => Problem(StatusCodes.Status403Forbidden, NotAnAdultReason,
        "Выдавать доступ к своей медицинской карте и связывать с собой детей может только совершеннолетний. " +
        "Проверьте дату рождения в профиле.");

    public static ProblemHttpResult OwnAccountOnly() => Problem(StatusCodes.Status403Forbidden, OwnAccountOnlyReason,
        "Это действие выполняется только от своего имени. Войдите в свою учётную запись, а не как представитель.");

    public static ProblemHttpResult AccountUnavailable() => Problem(StatusCodes.Status403Forbidden, "account_unavailable",
        "Учётная запись недоступна. Войдите заново.");

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "not_found", detail);

    public static ProblemHttpResult Conflict(string reason, string detail) => Problem(StatusCodes.Status409Conflict, reason, detail);

    public static ProblemHttpResult Forbidden(string reason, string detail) => Problem(StatusCodes.Status403Forbidden, reason, detail);

    public static ProblemHttpResult Problem(int status, string reason, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
