using System.Text.Json.Nodes;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Records.Ingestion;
using Microsoft.OpenApi;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// How the FHIR routes appear in the OpenAPI document: the body is a FHIR R4 resource of one of the profile's types sent
/// as application/fhir+json (or application/json), and {resourceType} takes only those types.
/// </summary>
public static class FhirOpenApi
{
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
                    [FhirOutcomes.MediaType] = new() { Schema = ResourceSchema() },
                    ["application/json"] = new() { Schema = ResourceSchema() },
                };
            }
            return Task.CompletedTask;
        });

    /// <summary>POST [base]: a transaction Bundle whose entries are resources of the profile.</summary>
    public static TBuilder DescribeFhirTransaction<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody is OpenApiRequestBody body)
            {
                body.Required = true;
                body.Description = "A FHIR R4 Bundle of type transaction; each entry a resource of the profile with "
                    + "\"request\": {\"method\": \"POST\", \"url\": \"<resourceType>\"}. Stored all together or not at all.";
                var schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "resourceType", "type", "entry" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Bundle")] },
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("transaction")] },
                        ["entry"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
                    },
                    AdditionalProperties = new OpenApiSchema(),
                };
                body.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [FhirOutcomes.MediaType] = new() { Schema = schema },
                    ["application/json"] = new() { Schema = schema },
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
