using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Gosuslugi.Health.ServiceDefaults.OpenApi;

/// <summary>
/// Every service's OpenAPI 3.1 document at <see cref="DocumentPath"/> (anonymous): its routes and bodies from the endpoints'
/// metadata, the bearer token (a JWT from identity, OAuth 2.0) as the security scheme of every operation that needs one,
/// and the RFC 9457 problems the services answer with. The gateway shows all of them at /api/docs.
/// </summary>
public static class OpenApiDefaults
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "Bearer";
    public const string OAuth2Scheme = "OAuth2";
    public const string ProblemContentType = "application/problem+json";
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";

    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder)
    {
        var title = ApiTitle(builder.Environment.ApplicationName);
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document, title);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeOperation(operation, context);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps <see cref="DocumentPath"/>, open to anyone (it is a description, not data).</summary>
    public static IEndpointRouteBuilder MapServiceOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>"Gosuslugi.Health.Records" -> "Gosuslugi.Health Records API".</summary>
    public static string ApiTitle(string applicationName)
    {
        var name = applicationName.StartsWith("Gosuslugi.Health.", StringComparison.Ordinal)
            ? applicationName["Gosuslugi.Health.".Length..]
            : applicationName;
        return $"Gosuslugi.Health {name} API";
    }

    private static void DescribeDocument(OpenApiDocument document, string title)
    {
        document.Info.Title = title;
        document.Info.Version = DocumentName;
        document.Info.Description ??= "Моё здоровье: API of the electronic medical record, reached through the gateway. " +
                                      "Errors are RFC 9457 problems (application/problem+json) whose detail is in Russian.";
        // Every route is reached through the gateway under the same path: relative to wherever the document was read.
        document.Servers = [new OpenApiServer { Url = "/" }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token (JWT, typ at+jwt) from identity: Authorization: Bearer <token>.",
        };
        document.Components.SecuritySchemes[OAuth2Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Identity's OAuth 2.0 endpoints: medical organizations and pharmacies use client credentials " +
                          "(client secret or private_key_jwt); people sign in with the authorization code flow and PKCE.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri("/connect/token", UriKind.Relative),
                    Scopes = new Dictionary<string, string>(),
                },
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                    TokenUrl = new Uri("/connect/token", UriKind.Relative),
                    RefreshUrl = new Uri("/connect/token", UriKind.Relative),
                    Scopes = new Dictionary<string, string>(),
                },
            },
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, Problem(validation: false));
        document.Components.Schemas.TryAdd(ValidationProblemSchema, Problem(validation: true));
    }

    /// <summary>The token an operation needs, and the problems it may answer with (those its handler declares stay).</summary>
    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var path = context.Description.RelativePath ?? "";
        var hasBody = operation.RequestBody is not null;
        var hasInput = hasBody || operation.Parameters is { Count: > 0 };

        operation.Responses ??= new OpenApiResponses();
        DescribeFileResponses(operation, metadata);
        if (hasInput) AddProblem(operation, context.Document, StatusCodes.Status400BadRequest, "Запрос содержит ошибки: errors называет поля.", validation: true);
        if (secured)
        {
            // Either scheme (two requirements): the same bearer token, described as a JWT and by how it is obtained.
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuth2Scheme, context.Document)] = [] });
            AddProblem(operation, context.Document, StatusCodes.Status401Unauthorized, "Нет действительного токена доступа.");
            AddProblem(operation, context.Document, StatusCodes.Status403Forbidden, "Токен не даёт права на это действие или на эти данные.");
        }
        if (path.Contains('{')) AddProblem(operation, context.Document, StatusCodes.Status404NotFound, "Ресурс не найден.");
        if (hasBody)
        {
            AddProblem(operation, context.Document, StatusCodes.Status415UnsupportedMediaType, "Тело запроса не в формате JSON.");
            AddProblem(operation, context.Document, StatusCodes.Status422UnprocessableEntity, "Данные верны по форме, но нарушают правило предметной области.");
        }
        if (secured) AddProblem(operation, context.Document, StatusCodes.Status503ServiceUnavailable, "Проверка отзыва токена временно недоступна.");
        AddProblem(operation, context.Document, StatusCodes.Status500InternalServerError, "Внутренняя ошибка: problem содержит traceId.");
    }

    /// <summary>
    /// A response declared with a content type but no .NET type (<c>.Produces(200, contentType: "application/pdf")</c>, a
    /// file or a stream) is a binary body of that type; the generator alone leaves its content out.
    /// </summary>
    private static void DescribeFileResponses(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>())
        {
            var key = produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (produces.Type is not null && produces.Type != typeof(void)) continue;
            if (!produces.ContentTypes.Any() || operation.Responses!.TryGetValue(key, out var existing) is false) continue;
            if (existing is not OpenApiResponse response || response.Content is { Count: > 0 }) continue;
            response.Content = produces.ContentTypes.ToDictionary(type => type,
                _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } });
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string description,
        bool validation = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var schema = new OpenApiSchemaReference(validation ? ValidationProblemSchema : ProblemSchema, document);
        if (operation.Responses!.TryGetValue(key, out var existing))
        {
            // Declared by the handler (a ValidationProblem, a ProducesProblem): make sure it says problem+json.
            if (existing is OpenApiResponse response && (response.Content is null || response.Content.Count == 0))
            {
                response.Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = schema } };
            }
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = schema } },
        };
    }

    /// <summary>RFC 9457 problem details as the services write them (with traceId and, for validation, errors by field).</summary>
    private static OpenApiSchema Problem(bool validation)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "In Russian, for the person." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The trace of the request, to quote to support." },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        if (validation)
        {
            properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages by field name (camelCase, as in the body).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation ? "RFC 9457 validation problem." : "RFC 9457 problem details.",
            Properties = properties,
            Examples = validation
                ? [new JsonObject { ["title"] = Problems.ValidationTitle, ["status"] = 400, ["detail"] = Problems.ValidationDetail, ["errors"] = new JsonObject { ["snils"] = new JsonArray("Неверная контрольная сумма СНИЛС.") } }]
                : null,
        };
    }
}
