using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>What every service's and identity's /openapi/v1.json must hold, checked against the app's own endpoints.</summary>
public static class OpenApiDocuments
{
    public const string Path = "/openapi/v1.json";

    /// <summary>
    /// Reads the document without a token and checks that it is OpenAPI 3.1, lists every described route of the app
    /// with its methods, declares the bearer (JWT) and OAuth 2.0 schemes, and that each operation needing a token says
    /// so and answers 401/403/500 as application/problem+json. Returns the document for service-specific checks.
    /// </summary>
    public static async Task<JsonElement> ReadAndCheckAsync(HttpClient anonymous, IServiceProvider services)
    {
        using var response = await anonymous.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var document = json.RootElement.Clone();

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        Assert.StartsWith("Gosuslugi.Health ", document.GetProperty("info").GetProperty("title").GetString());

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var bearer = schemes.GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        var oauth = schemes.GetProperty("OAuth2");
        Assert.Equal("oauth2", oauth.GetProperty("type").GetString());
        Assert.Equal("/connect/token", oauth.GetProperty("flows").GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());

        var paths = document.GetProperty("paths");
        var expected = DescribedRoutes(services);
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _),
                $"{method.ToUpperInvariant()} {path} is not in the document; it has {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        }

        foreach (var (path, method, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            AssertProblem(responses, "500", path, method);
            if (!operation.TryGetProperty("security", out var security)) continue;
            // Each requirement is one scheme: either the bearer JWT or OAuth 2.0, not both at once.
            Assert.Contains(security.EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
            Assert.All(security.EnumerateArray(), requirement => Assert.Single(requirement.EnumerateObject()));
            AssertProblem(responses, "401", path, method);
            AssertProblem(responses, "403", path, method);
        }
        return document;
    }

    /// <summary>Every (path, method) of the document.</summary>
    public static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.TryGetProperty("paths", out var paths)
            ? paths.EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
                .Where(member => HttpMethods.IsGet(member.Name) || HttpMethods.IsPost(member.Name) || HttpMethods.IsPut(member.Name)
                                 || HttpMethods.IsDelete(member.Name) || HttpMethods.IsPatch(member.Name))
                .Select(member => (path.Name, member.Name, member.Value)))
            : [];

    /// <summary>The app's minimal-API routes not excluded from the description, as OpenAPI paths ("{id:guid}" -> "{id}").</summary>
    public static IReadOnlyList<(string Path, string Method)> DescribedRoutes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not null)
            .Where(endpoint => endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => (OpenApiPath(endpoint.RoutePattern), method.ToLowerInvariant())))
            .Distinct()
            .ToList();

    private static string OpenApiPath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "",
        }))));

    private static void AssertProblem(JsonElement responses, string status, string path, string method)
    {
        Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} does not document {status}");
        Assert.True(response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
            $"{method} {path}: {status} is not application/problem+json");
    }
}
