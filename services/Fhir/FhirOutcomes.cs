using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gosuslugi.Health.Fhir;

/// <summary>
/// FHIR answers as a FHIR server gives them: resources (an OperationOutcome for every refusal, with issue.expression
/// naming the element) in application/fhir+json. A refusal changes nothing.
/// </summary>
public static class FhirOutcomes
{
    public const string MediaType = "application/fhir+json";

    private static readonly BaseFhirJsonSerializer Serializer = new FhirJsonSerializer();

    public static OperationOutcome Of(IEnumerable<FhirIssue> issues) => new()
    {
        Issue = issues.Select(i => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = i.Code,
            Details = new CodeableConcept { Text = i.Message },
            Diagnostics = i.Diagnostics,
            Expression = [i.Expression],
        }).ToList(),
    };

    /// <summary>One issue; <paramref name="expression"/> null for a problem of the request as a whole (size, media type).</summary>
    public static OperationOutcome Of(string? expression, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = code,
                Details = new CodeableConcept { Text = message },
                Expression = expression is null ? [] : [expression],
            },
        ],
    };

    /// <summary>A refusal: <paramref name="status"/> (400 malformed, 422 against the profile, 409, 404, 413, 415) with the outcome.</summary>
    public static FhirResult Refused(int status, IEnumerable<FhirIssue> issues) => new(status, Of(issues));

    public static FhirResult Refused(int status, string? expression, string message,
        OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) => new(status, Of(expression, message, code));

    /// <summary>A resource as the answer (a transaction-response Bundle, a CapabilityStatement).</summary>
    public static FhirResult Resource(int status, Resource resource, string? location = null) => new(status, resource, location);

    public static byte[] SerializeToUtf8Bytes(Base resource)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            Serializer.Serialize(resource, writer);
        }
        return buffer.ToArray();
    }
}

/// <summary>An IResult that writes a FHIR resource as application/fhir+json.</summary>
public sealed class FhirResult(int status, Resource resource, string? location = null) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <summary>The statuses a FHIR route may answer with a resource (an OperationOutcome for every refusal).</summary>
    private static readonly int[] Statuses = [200, 400, 404, 409, 413, 415, 422];

    public int StatusCode { get; } = status;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Resource Resource { get; } = resource;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = FhirOutcomes.MediaType + "; charset=utf-8";
        if (location is not null) httpContext.Response.Headers.Location = location;
        await httpContext.Response.Body.WriteAsync(FhirOutcomes.SerializeToUtf8Bytes(Resource), httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in Statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(object), [FhirOutcomes.MediaType]));
        }
    }
}
