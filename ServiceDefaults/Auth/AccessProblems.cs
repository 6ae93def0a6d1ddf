using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.ServiceDefaults.Auth;

/// <summary>403 problems that an endpoint returns after its own, finer check of what a token may read.</summary>
public static class AccessProblems
{
    public const string SectionNotDelegatedReason = "section_not_delegated";

    public const string SectionNotDelegatedDetail =
        "Ваши полномочия представителя не дают доступа к этим данным: по ограниченной доверенности " +
        "доступны только рецепты и результаты анализов.";

    /// <summary>A representative's delegation does not cover this part of the record.</summary>
    public static ProblemHttpResult SectionNotDelegated() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: SectionNotDelegatedDetail,
            extensions: new Dictionary<string, object?> { ["reason"] = SectionNotDelegatedReason });
}
