using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// Sends text PostgreSQL cannot store (U+0000) and text that is not UTF-8 to every text field of every route of an app
/// that takes a JSON, FHIR or form body, as found in the app's <see cref="EndpointDataSource"/>, and collects each
/// answer that is a 5xx or not a 400/422 problem naming the field.
/// </summary>
public static partial class MalformedTextProbe
{
    public sealed record BodyRoute(RouteEndpoint Endpoint, string Method, string Url, string ContentType, IReadOnlyList<string> TextFields)
    {
        public IReadOnlyList<string> Policies => Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().ToList();

        public override string ToString() => $"{Method} {Endpoint.RoutePattern.RawText} ({ContentType})";
    }

    private static readonly string[] BodyMethods = ["POST", "PUT", "PATCH"];
    private const string BadUtf8Marker = "@@not-utf8@@";

    /// <summary>
    /// Every POST/PUT/PATCH route of the app with the text fields of its body. A route whose body type is unknown
    /// (read by hand, or a FHIR JsonElement) gets the <paramref name="extraFields"/> given for its pattern, else "text".
    /// </summary>
    public static IReadOnlyList<BodyRoute> BodyRoutes(IServiceProvider services,
        IReadOnlyDictionary<string, string>? routeValues = null,
        IReadOnlyDictionary<string, string[]>? extraFields = null)
    {
        var routes = new List<BodyRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var contentTypes = accepts?.ContentTypes.Where(c => c.Contains("json") || c.Contains("form-urlencoded")).ToList() ?? [];
            if (contentTypes.Count == 0) contentTypes.Add("application/json");
            var pattern = endpoint.RoutePattern.RawText ?? "";
            IReadOnlyList<string> fields = extraFields?.GetValueOrDefault(pattern) ?? (IReadOnlyList<string>)TextFieldsOf(accepts?.RequestType ?? BodyParameterType(endpoint));
            if (fields.Count == 0) fields = ["text"];
            foreach (var method in methods.Where(m => BodyMethods.Contains(m)))
            {
                foreach (var contentType in contentTypes)
                {
                    routes.Add(new BodyRoute(endpoint, method, Url(endpoint, routeValues), contentType, fields));
                }
            }
        }
        return routes;
    }

    /// <summary>
    /// Probes every route; returns the failures (empty when every answer is right). <paramref name="clientFor"/> gives
    /// the client with the token the route needs.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProbeAsync(IReadOnlyList<BodyRoute> routes, Func<BodyRoute, HttpClient> clientFor)
    {
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var client = clientFor(route);
            foreach (var field in route.TextFields)
            {
                var form = route.ContentType.Contains("form-urlencoded");
                await ExpectRefusedAsync(client, route, field, Body(route.ContentType, field, "a\u0000b"), "U+0000", failures);
                if (!form)
                {
                    // Bytes C3 28: a lead byte without its continuation.
                    var bytes = Body(route.ContentType, field, BadUtf8Marker);
                    await ExpectRefusedAsync(client, route, field, ReplaceMarker(bytes, [0xC3, 0x28]), "invalid UTF-8", failures);
                }
            }
        }
        return failures;
    }

    private static async Task ExpectRefusedAsync(HttpClient client, BodyRoute route, string field, byte[] body, string what,
        List<string> failures)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", route.ContentType.Contains("form-urlencoded")
            ? route.ContentType : route.ContentType + "; charset=utf-8");
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            failures.Add($"{route} {what} in {field}: {status} {text}");
            return;
        }
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity))
        {
            failures.Add($"{route} {what} in {field}: {status}, expected a 400/422 problem");
            return;
        }
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (!NamesField(problem.RootElement, field))
            {
                failures.Add($"{route} {what} in {field}: {status} without the field in errors: {text}");
            }
        }
        catch (JsonException)
        {
            failures.Add($"{route} {what} in {field}: {status} without a problem body: {text}");
        }
    }

    /// <summary>A problem's errors hold the field; an OperationOutcome (FHIR routes) names it in an issue's expression.</summary>
    private static bool NamesField(JsonElement answer, string field)
    {
        if (answer.TryGetProperty("errors", out var errors)) return errors.TryGetProperty(field, out _);
        if (!answer.TryGetProperty("resourceType", out var type) || type.GetString() != "OperationOutcome") return false;
        return answer.GetProperty("issue").EnumerateArray().Any(issue => issue.TryGetProperty("expression", out var expressions)
            && expressions.EnumerateArray().Any(e => e.GetString() is { } expression && (expression == field || expression.EndsWith("." + field))));
    }

    /// <summary>A body with <paramref name="value"/> at <paramref name="field"/> ("a.b", "items[0].name") and nothing else.</summary>
    public static byte[] Body(string contentType, string field, string value)
    {
        if (contentType.Contains("form-urlencoded"))
        {
            return Encoding.UTF8.GetBytes(Uri.EscapeDataString(field) + "=" + Uri.EscapeDataString(value));
        }
        var root = new JsonObject();
        JsonNode parent = root;
        var segments = field.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var match = SegmentPattern().Match(segments[i]);
            var name = match.Groups["name"].Value;
            var last = i == segments.Length - 1;
            JsonNode next = last && !match.Groups["index"].Success ? JsonValue.Create(value)! : new JsonObject();
            if (match.Groups["index"].Success)
            {
                var array = new JsonArray();
                var index = int.Parse(match.Groups["index"].Value);
                for (var j = 0; j < index; j++) array.Add(new JsonObject());
                var item = last ? (JsonNode)JsonValue.Create(value)! : new JsonObject();
                array.Add(item);
                parent[name] = array;
                next = item;
            }
            else
            {
                parent[name] = next;
            }
            parent = next;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static byte[] ReplaceMarker(byte[] body, byte[] replacement)
    {
        var marker = Encoding.UTF8.GetBytes(BadUtf8Marker);
        var at = body.AsSpan().IndexOf(marker);
        return at < 0 ? body : [.. body.AsSpan(0, at), .. replacement, .. body.AsSpan(at + marker.Length)];
    }

    private static string Url(RouteEndpoint endpoint, IReadOnlyDictionary<string, string>? routeValues)
    {
        var url = "/" + RouteParameter().Replace((endpoint.RoutePattern.RawText ?? "").TrimStart('/'), m =>
        {
            var name = m.Groups["name"].Value;
            if (routeValues?.GetValueOrDefault(name) is { } given) return given;
            var constraints = m.Groups["constraints"].Value;
            return constraints.Contains("guid") ? Guid.CreateVersion7().ToString()
                : constraints.Contains("int") || constraints.Contains("long") ? "1" : "probe-1";
        });
        return url;
    }

    private static Type? BodyParameterType(RouteEndpoint endpoint)
    {
        var method = endpoint.Metadata.GetMetadata<MethodInfo>();
        return method?.GetParameters()
            .Where(p => p.ParameterType.IsClass && p.ParameterType != typeof(string)
                && p.ParameterType.Namespace?.StartsWith("Gosuslugi", StringComparison.Ordinal) == true
                && p.GetCustomAttributes().All(a => a.GetType().Name != "AsParametersAttribute"))
            .Select(p => p.ParameterType)
            .FirstOrDefault();
    }

    /// <summary>The JSON paths of the string properties of a body type, nested objects and lists included.</summary>
    public static List<string> TextFieldsOf(Type? type)
    {
        var fields = new List<string>();
        if (type is not null) Collect(type, "", fields, depth: 0);
        return fields;
    }

    private static void Collect(Type type, string prefix, List<string> fields, int depth)
    {
        if (depth > 4 || type == typeof(JsonElement) || type.Namespace?.StartsWith("Gosuslugi", StringComparison.Ordinal) != true) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || IsInitOrCtor(p)))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null) continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType == typeof(string))
            {
                fields.Add(path);
            }
            else if (ElementType(propertyType) is { } element)
            {
                if (element == typeof(string)) fields.Add(path + "[0]");
                else Collect(element, path + "[0]", fields, depth + 1);
            }
            else if (propertyType.IsClass)
            {
                Collect(propertyType, path, fields, depth + 1);
            }
        }
    }

    private static bool IsInitOrCtor(PropertyInfo property) => property.GetMethod is not null;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)) return null;
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericArguments() is [var single]) return single;
        return null;
    }

    [GeneratedRegex(@"^(?<name>[^\[]+)(\[(?<index>\d+)\])?$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[^}:=?]+)(?<constraints>[^}]*)\}")]
    private static partial Regex RouteParameter();
}
