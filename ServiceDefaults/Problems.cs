using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.ServiceDefaults;

/// <summary>Problem results with texts a patient can read.</summary>
public static class Problems
{
    public const string ValidationTitle = "Запрос содержит ошибки";
    public const string ValidationDetail = "Исправьте поля, указанные в errors, и повторите запрос.";

    /// <summary>400 ValidationProblem; keys are field names (camelCase, as in the JSON body), values Russian messages.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: ValidationDetail, title: ValidationTitle);

    /// <summary>400 ValidationProblem for one field.</summary>
    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}
