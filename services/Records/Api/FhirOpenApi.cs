using System.Text.Json.Nodes;
using Gosuslugi.Health.Records.Ingestion;
using Microsoft.OpenApi;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// How the FHIR routes appear in the OpenAPI document: the body is a FHIR R4 resource of one of the profile's types sent
/// as application/fhir+json (or application/json), and {resourceType} takes only those types.
/// </summary>
public static class FhirOpenApi
{
    public const string FhirJson = "application/fhir+json";

    public static TBuilder DescribeFhirRoutes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.Name != "resourceType") continue;
                parameter.Description = "FHIR R4 resource type of the profile (README, \"Publishing records\").";
                parameter.Schema = ResourceTypeSchema();
            }

            if (operation.RequestBody is OpenApiRequestBody body)
            {
                body.Required = true;
                body.Description = "One FHIR R4 resource, its resourceType equal to {resourceType}; a PDF goes inside it, base64.";
                body.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [FhirJson] = new() { Schema = ResourceSchema() },
                    ["application/json"] = new() { Schema = ResourceSchema() },
                };
            }
            return Task.CompletedTask;
        });

    private static OpenApiSchema ResourceTypeSchema() => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. FhirProfile.ResourceTypes.Select(type => (JsonNode)JsonValue.Create(type))],
    };

    private static OpenApiSchema ResourceSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "A FHIR R4 resource (https://hl7.org/fhir/R4/) as the profile in README, \"Publishing records\", describes it.",
        Required = new HashSet<string> { "resourceType", "identifier", "subject" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["resourceType"] = ResourceTypeSchema(),
            ["identifier"] = new OpenApiSchema { Description = "The organization's own id of the item: identifier[0].value (Composition: identifier.value)." },
            ["subject"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The patient, by SNILS (subject.identifier)." },
        },
        AdditionalProperties = new OpenApiSchema(),
    };
}
