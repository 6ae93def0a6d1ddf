using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Ingestion;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Gosuslugi.Health.ServiceDefaults.Patients;

namespace Gosuslugi.Health.Records.Api;

public sealed record FhirIngestionServices(RecordsDb Db, PatientDataKeys<RecordsDb> Keys, TimeProvider Time, ILogger<FhirIngestionServices> Logger);

/// <summary>
/// Medical organizations publish items of patients' records as FHIR R4 resources (Encounter, DiagnosticReport,
/// Composition, CarePlan; profile in README, "Publishing records") and read back what they published.
/// </summary>
public static class FhirIngestionApi
{
    public const string ItemsRoute = "/api/v1/records/items";

    /// <summary>A 10 MB PDF in base64 plus the resource around it.</summary>
    public const long MaxBodyBytes = 15 * 1024 * 1024;

    public const string ReadPurpose = "просмотр переданных организацией данных";

    public static RouteGroupBuilder MapFhirIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Ingestion").DescribeFhirRoutes();

        api.MapPost("/fhir/{resourceType}", PublishFhirResource)
            .RequireAuthorization(Policies.MedicalOrganization)
            .Accepts<JsonElement>("application/fhir+json", "application/json")
            .WithName(nameof(PublishFhirResource));
        api.MapGet("/fhir/{resourceType}/{externalId}", GetPublishedItem)
            .RequireAuthorization(Policies.MedicalOrganization)
            .WithName(nameof(GetPublishedItem));

        return api;
    }

    public static async Task<Results<Created<PublishedItemResponse>, Ok<PublishedItemResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>>
        PublishFhirResource(string resourceType, HttpContext http, ClaimsPrincipal user,
            [AsParameters] FhirIngestionServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId();
        var organizationName = user.GetOrganizationName()?.Trim();
        if (organizationId is null || string.IsNullOrEmpty(organizationName))
        {
            // The name is shown to the patient; a client registered without one cannot publish.
            return TypedResults.Forbid();
        }
        if (!FhirProfile.ResourceTypes.Contains(resourceType))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Тип ресурса не поддерживается",
                detail: "Принимаются ресурсы FHIR R4: " + string.Join(", ", FhirProfile.ResourceTypes) + ".");
        }
        if (!IsJson(http.Request.ContentType))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Неподдерживаемый формат",
                detail: "Передайте ресурс FHIR в формате JSON (Content-Type: application/fhir+json).");
        }

        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Слишком большой запрос",
                detail: $"Ресурс больше {MaxBodyBytes / 1024 / 1024} МБ; документ PDF — не больше 10 МБ.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Problems.Validation("body", "Тело запроса не является корректным JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.Validation("body", "Передайте ресурс FHIR (объект JSON).");
            }
            if (!root.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString() != resourceType)
            {
                return Problems.Validation("resourceType", $"Ресурс должен иметь resourceType \"{resourceType}\", как в адресе запроса.");
            }

            var now = services.Time.GetUtcNow();
            var problems = new FhirProblems(now);
            var resource = FhirElement.Root(root, problems);
            var ingested = resourceType switch
            {
                "Encounter" => EncounterMapping.Map(resource),
                "DiagnosticReport" => DiagnosticReportMapping.Map(resource),
                "Composition" => CompositionMapping.Map(resource),
                "CarePlan" => CarePlanMapping.Map(resource),
                _ => throw new InvalidOperationException($"No mapping for {resourceType}."),
            };

            // The patient is looked up even when other fields are wrong, so that every problem is named at once.
            var snils = ingested?.Snils ?? (problems.ToDictionary().ContainsKey("subject.identifier.value")
                ? null : FhirProfile.Snils(FhirElement.Root(root, new FhirProblems(now))));
            KnownPatient? patient = null;
            if (snils is not null)
            {
                patient = await services.Db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == snils, ct);
                if (patient is null)
                {
                    problems.Add("subject.identifier.value", "Пациент с таким СНИЛС не зарегистрирован в сервисе.");
                }
            }
            if (ingested is null || patient is null || problems.Any)
            {
                return Unprocessable(problems.ToDictionary());
            }

            var publisher = new Publisher(organizationId.Value, organizationName, user.GetClientId() ?? organizationId.Value.ToString());
            var cipher = await services.Keys.ForWritingAsync(patient.PatientId, ct);
            var outcome = await RecordPublishing.PublishAsync(services.Db, http, publisher, ingested, patient, cipher, now, ct);
            switch (outcome)
            {
                case PublishOutcome.Published(var item):
                    services.Logger.LogInformation(
                        "Record item {ItemId} (record {RecordId}, version {Version}, {Kind}) published by organization {OrganizationId}",
                        item.Id, item.RecordId, item.Version, item.Kind, item.OrganizationId);
                    return TypedResults.Created($"{ItemsRoute}/{item.Id}",
                        PublishedItemResponse.From(item, cipher, ingested.Observations.Count,
                            ingested.Observations.Count(o => Interpretations.IsAbnormal(o.Interpretation))));
                case PublishOutcome.Unchanged(var item):
                    return TypedResults.Ok(await ResponseOfAsync(services.Db, item, cipher, ct));
                case PublishOutcome.Refused(var status, var path, var message):
                    return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = [message] })
                    {
                        Status = status,
                        Title = "Данные не приняты",
                        Detail = message,
                    });
                default:
                    throw new InvalidOperationException($"Unexpected outcome {outcome}.");
            }
        }
    }

    public static async Task<Results<Ok<PublishedItemView>, NotFound>> GetPublishedItem(string resourceType, string externalId,
        HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys, CancellationToken ct)
    {
        // Only the organization's own items: another organization's external id is simply not there.
        if (user.GetOrganizationId() is not { } organizationId)
        {
            return TypedResults.NotFound();
        }
        var versions = await db.Items.AsNoTracking()
            .Where(i => i.OrganizationId == organizationId && i.ExternalId == externalId && i.ResourceType == resourceType)
            .OrderBy(i => i.Version)
            .ToListAsync(ct);
        var current = versions.SingleOrDefault(v => v.IsCurrent);
        if (current is null)
        {
            return TypedResults.NotFound();
        }

        var observations = await db.Observations.AsNoTracking()
            .Where(o => o.ItemId == current.Id)
            .OrderBy(o => o.Position)
            .ToListAsync(ct);
        var document = await db.Documents.AsNoTracking()
            .Where(d => d.ItemId == current.Id)
            .Select(d => new { d.FileName, d.ContentType, d.Size, d.Sha256 })
            .FirstOrDefaultAsync(ct);
        var cipher = await keys.ForReadingAsync(current.PatientId, ct);

        await db.LogAccessAsync(http, current.PatientId, current.Sections[0], AccessActions.Read, ReadPurpose, current.Id, ct: ct);

        using var details = JsonDocument.Parse(cipher.Open(current.Details));
        return TypedResults.Ok(new PublishedItemView(
            PublishedItemResponse.From(current, cipher, observations.Count,
                observations.Count(o => Interpretations.IsAbnormal(o.Interpretation))),
            current.DepartmentName, current.DoctorId, current.DoctorName, current.Specialty, current.DiagnosisCodes,
            details.RootElement.Clone(),
            observations.Select(o => PublishedObservation.Of(o, ObservationContent.Open(cipher, o.Content))).ToList(),
            document is null ? null : new PublishedDocument(cipher.OpenText(document.FileName), document.ContentType, document.Size, document.Sha256),
            versions.Select(v => new PublishedVersion(v.Id, v.Version, v.IsCurrent, v.ReceivedAt, v.SubmittedBy,
                cipher.OpenTextOrNull(v.CorrectionReason), v.CorrectsItemId, v.SupersededAt, v.ContentHash.Trim())).ToList()));
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/fhir+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<PublishedItemResponse> ResponseOfAsync(RecordsDb db, RecordItem item, PatientCipher cipher, CancellationToken ct)
    {
        var interpretations = await db.Observations.AsNoTracking()
            .Where(o => o.ItemId == item.Id)
            .Select(o => o.Interpretation)
            .ToListAsync(ct);
        return PublishedItemResponse.From(item, cipher, interpretations.Count, interpretations.Count(Interpretations.IsAbnormal));
    }

    private static ProblemHttpResult Unprocessable(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Данные не приняты",
            Detail = Problems.ValidationDetail,
        });
}

/// <summary>What the organization gets back for a published item (version).</summary>
public sealed record PublishedItemResponse(
    Guid Id,
    Guid RecordId,
    int Version,
    string Kind,
    string ResourceType,
    string ExternalId,
    string Title,
    string Status,
    DateTimeOffset EffectiveAt,
    IReadOnlyList<string> Sections,
    int ObservationCount,
    int AbnormalCount,
    bool HasDocument,
    string ContentHash,
    DateTimeOffset ReceivedAt,
    string SubmittedBy,
    string? CorrectionReason,
    Guid? CorrectsItemId)
{
    public static PublishedItemResponse From(RecordItem item, PatientCipher cipher, int observationCount, int abnormalCount) => new(
        item.Id, item.RecordId, item.Version, item.Kind, item.ResourceType, item.ExternalId, cipher.OpenText(item.Title), item.Status,
        item.EffectiveAt, item.Sections, observationCount, abnormalCount, item.HasDocument, item.ContentHash.Trim(),
        item.ReceivedAt, item.SubmittedBy, cipher.OpenTextOrNull(item.CorrectionReason), item.CorrectsItemId);
}

public sealed record PublishedObservation(string AnalyteCode, string AnalyteName, decimal? Value, string? ValueText, string? Unit,
    decimal? ReferenceLow, decimal? ReferenceHigh, string? ReferenceText, string Interpretation, string? Comment, DateTimeOffset TakenAt)
{
    public static PublishedObservation Of(Observation o, ObservationContent c) => new(o.AnalyteCode, c.AnalyteName, c.Value,
        c.ValueText, o.Unit, c.ReferenceLow, c.ReferenceHigh, c.ReferenceText, o.Interpretation, c.Comment, o.TakenAt);
}

public sealed record PublishedDocument(string FileName, string ContentType, int Size, string Sha256);

public sealed record PublishedVersion(Guid Id, int Version, bool IsCurrent, DateTimeOffset ReceivedAt, string SubmittedBy,
    string? CorrectionReason, Guid? CorrectsItemId, DateTimeOffset? SupersededAt, string ContentHash);

/// <summary>The organization's own item as it stored it: the current version in full and every version with who and why.</summary>
public sealed record PublishedItemView(
    PublishedItemResponse Current,
    string? DepartmentName,
    string? DoctorId,
    string? DoctorName,
    string? Specialty,
    IReadOnlyList<string> DiagnosisCodes,
    JsonElement Details,
    IReadOnlyList<PublishedObservation> Observations,
    PublishedDocument? Document,
    IReadOnlyList<PublishedVersion> Versions);
