using System.Text.Json;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Delegations;

/// <summary>
/// Reads a JSON body so that a value of the wrong type or format is reported by its field with a Russian message,
/// instead of the framework's anonymous 400.
/// </summary>
public static class JsonRequest
{
    public static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Validation("body", "Передайте данные в теле запроса в формате JSON (Content-Type: application/json)."));

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            // Syntax first, so that a broken document is not blamed on whichever field the reader stopped at.
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            try
            {
                return document.Deserialize<T>(options) is { } value
                    ? (value, null)
                    : (null, Problems.Validation("body", "Передайте данные в теле запроса в формате JSON."));
            }
            catch (JsonException e)
            {
                var field = e.Path?.TrimStart('$').TrimStart('.');
                return (null, Problems.Validation(string.IsNullOrEmpty(field) ? "body" : field, "Значение имеет неверный тип или формат."));
            }
        }
        catch (JsonException)
        {
            return (null, Problems.Validation("body", "Тело запроса не является корректным JSON."));
        }
    }
}
