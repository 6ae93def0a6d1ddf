using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Gosuslugi.Health.ServiceDefaults.Http;

/// <summary>
/// Refuses text that no service can store before any endpoint sees it: a JSON string (or FHIR element) that is not valid
/// UTF-8 or holds a lone surrogate (System.Text.Json throws InvalidOperationException on it), and U+0000 anywhere
/// (PostgreSQL refuses it in text, error 22021) in a JSON body, a form post, the query string or the path.
/// The answer is a 400 validation problem keyed by the field's JSON path ("organization.name", "code.coding[0].display"),
/// the same keys Records' FHIR problems use. Hand-written because neither ASP.NET Core nor System.Text.Json checks this.
/// </summary>
public sealed class TextInputGuard(RequestDelegate next)
{
    public const string NulMessage = "Текст не может содержать символ U+0000.";
    public const string EncodingMessage = "Текст должен быть в кодировке UTF-8 без недопустимых символов.";
    public const string QueryField = "query";
    public const string PathField = "path";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var refused = FindInPathAndQuery(request);
        if (refused is null && request.HasJsonContentType())
        {
            refused = await FindInJsonBodyAsync(context);
        }
        else if (refused is null && request.HasFormContentType && !IsMultipart(request))
        {
            refused = await FindInFormAsync(request, context.RequestAborted);
        }

        if (refused is { } field)
        {
            await WriteProblemAsync(context, field.Path, field.Message);
            return;
        }
        await next(context);
    }

    /// <summary>The first string of a JSON document that cannot be stored as text, or null (also for broken JSON: the endpoint reports that).</summary>
    public static (string Path, string Message)? FindInvalidText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        NextItem(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        if (Check(ref reader) is { } nameProblem)
                        {
                            return (PathOf(frames, includeLastName: false), nameProblem);
                        }
                        frames[^1].Name = reader.GetString();
                        break;
                    case JsonTokenType.String:
                        NextItem(frames);
                        if (Check(ref reader) is { } valueProblem)
                        {
                            return (PathOf(frames, includeLastName: true), valueProblem);
                        }
                        break;
                    default:
                        NextItem(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static string? Check(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // An unescaped string cannot hold U+0000 (a raw control character is not JSON), only bad bytes.
            return Utf8.IsValid(reader.ValueSpan) ? null : EncodingMessage;
        }
        try
        {
            return reader.GetString()!.Contains('\0') ? NulMessage : null;
        }
        catch (InvalidOperationException)
        {
            return EncodingMessage;
        }
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
    }

    private static void NextItem(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static string PathOf(List<Frame> frames, bool includeLastName)
    {
        var path = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Name is not null && (includeLastName || i < frames.Count - 1))
            {
                if (path.Length > 0) path.Append('.');
                path.Append(frame.Name);
            }
        }
        return path.Length == 0 ? JsonBody.BodyField : path.ToString();
    }

    private static (string Path, string Message)? FindInPathAndQuery(HttpRequest request)
    {
        if (request.Path.HasValue && request.Path.Value.Contains('\0'))
        {
            return (PathField, NulMessage);
        }
        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0') || HasNul(values))
            {
                return (key.Contains('\0') ? QueryField : key, NulMessage);
            }
        }
        return null;
    }

    private static async Task<(string Path, string Message)?> FindInJsonBodyAsync(HttpContext context)
    {
        // The body is read once into memory (Kestrel's request size limit bounds it) and handed on as a fresh stream,
        // so that the framework's binding, JsonBody, the FHIR reader or the gateway's proxy read the same bytes.
        var request = context.Request;
        var buffered = new MemoryStream(request.ContentLength is > 0 and < 1024 * 1024 ? (int)request.ContentLength : 4096);
        context.Response.RegisterForDispose(buffered);
        await request.Body.CopyToAsync(buffered, context.RequestAborted);
        buffered.Position = 0;
        request.Body = buffered;
        return buffered.Length == 0 ? null : FindInvalidText(buffered.GetBuffer().AsSpan(0, (int)buffered.Length));
    }

    private static async Task<(string Path, string Message)?> FindInFormAsync(HttpRequest request, CancellationToken ct)
    {
        // Buffered and rewound so that whatever reads the body after us (OpenIddict, Razor Pages, the gateway's proxy) still can.
        request.EnableBuffering();
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // The framework's form reader refuses U+0000 with an exception that names no field: find it ourselves.
            request.Body.Position = 0;
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            var text = await reader.ReadToEndAsync(ct);
            request.Body.Position = 0;
            var pair = text.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Any(s => Decode(s).Contains('\0')));
            if (pair is null) return (JsonBody.BodyField, "Тело запроса не является корректной формой.");
            return (Decode(pair[0]).Contains('\0') ? JsonBody.BodyField : Decode(pair[0]), NulMessage);
        }
        request.Body.Position = 0;
        foreach (var (key, values) in form)
        {
            if (key.Contains('\0') || HasNul(values))
            {
                return (key.Contains('\0') ? JsonBody.BodyField : key, NulMessage);
            }
        }
        return null;
    }

    private static string Decode(string formPart)
    {
        try
        {
            return Uri.UnescapeDataString(formPart.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return formPart;
        }
    }

    private static bool HasNul(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains('\0')) return true;
        }
        return false;
    }

    private static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task WriteProblemAsync(HttpContext context, string field, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        foreach (var format in context.RequestServices.GetServices<ITextRefusalFormat>())
        {
            if (format.Handles(context.Request))
            {
                await format.WriteAsync(context, field, message);
                return;
            }
        }
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = Problems.ValidationTitle,
            Detail = Problems.ValidationDetail,
        };
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}

/// <summary>
/// Answers a text the guard refuses in the format of the route instead of the RFC 9457 problem: a service whose routes
/// speak another format (FHIR: an OperationOutcome) registers one. The guard runs before routing, so it decides by the request.
/// </summary>
public interface ITextRefusalFormat
{
    bool Handles(HttpRequest request);

    /// <summary>Writes the 400 answer naming <paramref name="field"/> (its JSON path in the body).</summary>
    Task WriteAsync(HttpContext context, string field, string message);
}
