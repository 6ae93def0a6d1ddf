using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gosuslugi.Health.Fhir;

/// <summary>
/// A FHIR JSON body read into the SDK's typed classes. <see cref="Refusal"/> is set when the body is not a resource at all
/// (no JSON, not an object, no or another resourceType, too large, not JSON): nothing else can be said about it. Otherwise
/// <see cref="Resource"/> holds what could be read, and <see cref="Issues"/> what the SDK found wrong against R4 (wrong
/// types, unknown elements, invalid codes, missing required elements) by FHIRPath, so that the profile's own rules can
/// run on the same resource and add theirs before the answer.
/// </summary>
public sealed record FhirRead<T>(T? Resource, FhirIssues Issues, FhirResult? Refusal) where T : Resource;

public static class FhirBody
{
    public const string NotJson = "Тело запроса не является корректным JSON.";

    private static readonly BaseFhirJsonDeserializer Deserializer = new FhirJsonDeserializer();

    /// <summary>
    /// Reads a resource of type <typeparamref name="T"/> (or of <paramref name="resourceType"/>, named in the address) from
    /// the request: application/fhir+json or application/json, at most <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<FhirRead<T>> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken ct,
        string? resourceType = null) where T : Resource
    {
        if (!IsFhirJson(request.ContentType))
        {
            return Refused<T>(StatusCodes.Status415UnsupportedMediaType, null,
                "Передайте ресурс FHIR в формате JSON (Content-Type: application/fhir+json).", OperationOutcome.IssueType.NotSupported);
        }
        var body = await ReadBytesAsync(request, maxBytes, ct);
        if (body is null)
        {
            return Refused<T>(StatusCodes.Status413PayloadTooLarge, null,
                $"Запрос больше {maxBytes / 1024 / 1024} МБ.", OperationOutcome.IssueType.TooLong);
        }
        return Parse<T>(body, resourceType ?? ModelInfo.GetFhirTypeNameForType(typeof(T)));
    }

    /// <summary>Parses <paramref name="json"/> as <see cref="ReadAsync{T}"/> does (also for warming the SDK up).</summary>
    public static FhirRead<T> Parse<T>(ReadOnlySpan<byte> json, string? resourceType) where T : Resource
    {
        // Syntax first, so that a broken document is not blamed on whichever element the SDK stopped at.
        var syntax = new Utf8JsonReader(json);
        try
        {
            if (!syntax.Read() || syntax.TokenType != JsonTokenType.StartObject)
            {
                return Refused<T>(StatusCodes.Status400BadRequest, null, "Передайте ресурс FHIR (объект JSON).", OperationOutcome.IssueType.Structure);
            }
            syntax.Skip();
            if (syntax.Read())
            {
                return Refused<T>(StatusCodes.Status400BadRequest, null, NotJson, OperationOutcome.IssueType.Structure);
            }
        }
        catch (JsonException)
        {
            return Refused<T>(StatusCodes.Status400BadRequest, null, NotJson, OperationOutcome.IssueType.Structure);
        }

        var reader = new Utf8JsonReader(json);
        Resource? resource;
        IEnumerable<CodedException>? errors;
        try
        {
            Deserializer.TryDeserializeResource(ref reader, out resource, out errors);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return Refused<T>(StatusCodes.Status400BadRequest, null, NotJson, OperationOutcome.IssueType.Structure);
        }

        var found = resource is null || resource.GetType() == typeof(Resource) ? null : resource.TypeName;
        var errorList = errors?.ToList() ?? [];
        if (found is null || errorList.Any(e => e.ErrorCode is "JSON103" or "PVAL130"))
        {
            return Refused<T>(StatusCodes.Status400BadRequest, "resourceType",
                resourceType is null ? "Укажите resourceType ресурса FHIR R4." : $"Ресурс должен иметь resourceType \"{resourceType}\".",
                OperationOutcome.IssueType.Structure);
        }
        if ((resourceType is not null && found != resourceType) || resource is not T typed)
        {
            return Refused<T>(StatusCodes.Status400BadRequest, found + ".resourceType",
                $"Ресурс должен иметь resourceType \"{resourceType ?? typeof(T).Name}\", как в адресе запроса.", OperationOutcome.IssueType.Structure);
        }

        var issues = new FhirIssues(found);
        foreach (var error in errorList)
        {
            var (message, code) = Describe(error);
            issues.AddAt(ExpressionOf(error, found), message, code, (error as ExtendedCodedException)?.BaseErrorMessage ?? error.Message);
        }
        return new FhirRead<T>(typed, issues, null);
    }

    public static bool IsFhirJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals(FhirOutcomes.MediaType, StringComparison.OrdinalIgnoreCase)
            || mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The SDK's instance path as a FHIRPath from the resource type ("$this.class" → "Encounter.class").</summary>
    private static string ExpressionOf(CodedException error, string resourceType)
    {
        var path = (error as ExtendedCodedException)?.InstancePath;
        if (string.IsNullOrEmpty(path)) return resourceType;
        if (path.StartsWith("$this", StringComparison.Ordinal)) return resourceType + path["$this".Length..];
        return path;
    }

    /// <summary>A Russian text for the SDK's error codes (its English message goes to issue.diagnostics).</summary>
    private static (string Message, OperationOutcome.IssueType Code) Describe(CodedException error) => error.ErrorCode switch
    {
        "PVAL105" => ("Обязательный элемент FHIR R4 отсутствует.", OperationOutcome.IssueType.Required),
        "PVAL116" => ("Недопустимый код: такого значения нет в наборе FHIR R4.", OperationOutcome.IssueType.CodeInvalid),
        "PVAL128" => ("Неизвестный элемент: в ресурсе FHIR R4 его нет.", OperationOutcome.IssueType.Structure),
        "PVAL127" => ("Элемент должен быть массивом или одиночным значением, как в FHIR R4.", OperationOutcome.IssueType.Structure),
        "PVAL129" => ("Пустой элемент: в FHIR элемент без значения не передают.", OperationOutcome.IssueType.Value),
        "PVAL120" => ("Значение должно быть закодировано в base64.", OperationOutcome.IssueType.Value),
        var code when code.StartsWith("JSON", StringComparison.Ordinal) => ("Неверная структура JSON ресурса FHIR R4.", OperationOutcome.IssueType.Structure),
        _ => ("Значение имеет неверный тип или формат FHIR R4.", OperationOutcome.IssueType.Value),
    };

    private static FhirRead<T> Refused<T>(int status, string? expression, string message, OperationOutcome.IssueType code) where T : Resource =>
        new(null, new FhirIssues(expression ?? ""), FhirOutcomes.Refused(status, expression, message, code));

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
