using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.ServiceDefaults;

/// <summary>
/// Reads a JSON body so that a value of the wrong type or format is reported like any other invalid field,
/// by its name, instead of the framework's anonymous 400: callers (organizations' systems above all) must see what to fix.
/// </summary>
public static class JsonBody
{
    public const string BodyField = "body";

    /// <summary>What a 415 tells the caller, whether the endpoint or routing refused the content type.</summary>
    public const string UnsupportedMediaTypeTitle = "Неподдерживаемый формат";
    public const string UnsupportedMediaTypeDetail = "Передайте данные в теле запроса в формате JSON (Content-Type: application/json).";

    public sealed record Result<T>(T? Value, Dictionary<string, string[]>? Errors, bool UnsupportedMediaType);

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, IReadOnlyDictionary<string, string> formatMessages,
        CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return new Result<T>(null, null, UnsupportedMediaType: true);
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        JsonDocument document;
        try
        {
            // Syntax first, so that a broken document is not blamed on whichever field the reader stopped at.
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Failed<T>(BodyField, "Тело запроса не является корректным JSON.");
        }

        using (document)
        {
            try
            {
                return document.Deserialize<T>(options) is { } value
                    ? new Result<T>(value, null, false)
                    : Failed<T>(BodyField, "Передайте данные в теле запроса в формате JSON.");
            }
            catch (JsonException e)
            {
                var field = FieldName(e.Path);
                return Failed<T>(field, formatMessages.GetValueOrDefault(field) ?? "Значение имеет неверный тип или формат.");
            }
        }
    }

    /// <summary>"$.vaccine.code" -> "vaccine.code"; the root -> "body".</summary>
    public static string FieldName(string? path)
    {
        var field = path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? BodyField : field;
    }

    private static Result<T> Failed<T>(string field, string message) where T : class =>
        new(null, new Dictionary<string, string[]> { [field] = [message] }, false);
}
