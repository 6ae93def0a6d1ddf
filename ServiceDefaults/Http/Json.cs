using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gosuslugi.Health.ServiceDefaults;

/// <summary>
/// A request body type read by <see cref="Json{T}"/>; it may name the message for a value of the wrong type or
/// format per field ("startsAt" → "Время указывается в формате ISO 8601...").
/// </summary>
public interface IJsonRequest<TSelf> where TSelf : class, IJsonRequest<TSelf>
{
    static virtual IReadOnlyDictionary<string, string> FormatMessages { get; } = new Dictionary<string, string>();
}

/// <summary>
/// The one way every service reads a JSON body: declare a handler parameter <c>Json&lt;T&gt; body</c> (or
/// <c>Json&lt;T&gt;?</c> when the body is optional) and use <see cref="Value"/>. A body of another content type is
/// answered 415, a broken or mistyped one a 400 validation problem naming the field (see <see cref="JsonBody"/>), by
/// <see cref="JsonBodyFilter"/> before the handler runs. Text no service can store never gets this far
/// (<see cref="Http.TextInputGuard"/>).
/// </summary>
public sealed class Json<T> : IBoundJsonBody, IEndpointParameterMetadataProvider where T : class, IJsonRequest<T>
{
    private Json(T? value, IResult? problem)
    {
        Value = value!;
        Problem = problem;
    }

    public T Value { get; }

    /// <summary>Why the body cannot be used, answered by <see cref="JsonBodyFilter"/>; null when <see cref="Value"/> is set.</summary>
    public IResult? Problem { get; }

    public static async ValueTask<Json<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (IsOptional(parameter) && !request.HasJsonContentType() && request.ContentLength is null or 0)
        {
            return null;
        }

        var body = await JsonBody.ReadAsync<T>(request, T.FormatMessages, context.RequestAborted);
        if (body.UnsupportedMediaType)
        {
            return new Json<T>(null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: JsonBody.UnsupportedMediaTypeTitle, detail: JsonBody.UnsupportedMediaTypeDetail));
        }
        return body.Value is { } value ? new Json<T>(value, null) : new Json<T>(null, Problems.Validation(body.Errors!));
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new JsonBodyAccepts(typeof(T), IsOptional(parameter)));
        builder.FilterFactories.Add((_, next) => new JsonBodyFilter(next).InvokeAsync);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ParameterInfo, bool> Optional = new();

    /// <summary><c>Json&lt;T&gt;?</c>: no body at all is allowed.</summary>
    private static bool IsOptional(ParameterInfo parameter) => Optional.GetOrAdd(parameter,
        p => new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable);

    private sealed class JsonBodyAccepts(Type requestType, bool isOptional) : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = ["application/json"];
        public Type? RequestType => requestType;
        public bool IsOptional => isOptional;
    }
}

/// <summary>A bound body that may carry the problem to answer instead of running the handler.</summary>
public interface IBoundJsonBody
{
    IResult? Problem { get; }
}

/// <summary>The one validation filter: answers the problem of the first unusable <see cref="Json{T}"/> argument.</summary>
public sealed class JsonBodyFilter(EndpointFilterDelegate next)
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is IBoundJsonBody { Problem: { } problem })
            {
                return ValueTask.FromResult<object?>(problem);
            }
        }
        return next(context);
    }
}
