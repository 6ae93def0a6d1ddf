using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Ingestion;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Bundle = Hl7.Fhir.Model.Bundle;
using Observation = Gosuslugi.Health.Records.Domain.Observation;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using Resource = Hl7.Fhir.Model.Resource;

namespace Gosuslugi.Health.Records.Api;

public sealed record FhirIngestionServices(RecordsDb Db, PatientDataKeys<RecordsDb> Keys, TimeProvider Time, ILogger<FhirIngestionServices> Logger);

/// <summary>
/// Medical organizations publish items of patients' records as FHIR R4 resources (Encounter, DiagnosticReport,
/// Composition, CarePlan; profile in README, "Publishing records") one by one or several at once in a transaction Bundle,
/// and read back what they published. The FHIR base is /fhir/R4 (its CapabilityStatement at /fhir/R4/metadata); the
/// single-resource route under /api/v1/records/fhir stays for the systems that publish there.
/// </summary>
public static class FhirIngestionApi
{
    public const string FhirBase = "/fhir/R4";
    public const string ItemsRoute = "/api/v1/records/items";

    /// <summary>A 10 MB PDF in base64 plus the resource around it.</summary>
    public const long MaxBodyBytes = 15 * 1024 * 1024;

    /// <summary>A transaction Bundle: Kestrel's own limit on a request body.</summary>
    public const long MaxTransactionBytes = 30_000_000;

    public const string ReadPurpose = "просмотр переданных организацией данных";

    public static RouteGroupBuilder MapFhirIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Ingestion");

        Publishing(api.MapPost("/fhir/{resourceType}", PublishFhirResource), nameof(PublishFhirResource)).DescribeFhirRoutes();
        api.MapGet("/fhir/{resourceType}/{externalId}", GetPublishedItem)
            .RequireAuthorization(Policies.MedicalOrganization)
            .WithName(nameof(GetPublishedItem));

        var fhir = app.MapGroup(FhirBase).WithTags("FHIR R4");
        fhir.MapGet("/metadata", GetCapabilityStatement)
            .AllowAnonymous()
            .WithName(nameof(GetCapabilityStatement));
        Publishing(fhir.MapPost("/", PublishTransaction), nameof(PublishTransaction)).DescribeFhirTransaction();
        Publishing(fhir.MapPost("/{resourceType}", PublishFhirResource), nameof(PublishFhirResource) + "R4").DescribeFhirRoutes();

        return api;
    }

    private static RouteHandlerBuilder Publishing(RouteHandlerBuilder route, string name) =>
        route.RequireAuthorization(Policies.MedicalOrganization).AcceptsFhir().WithName(name);

    public static FhirResult GetCapabilityStatement() =>
        FhirOutcomes.Resource(StatusCodes.Status200OK, RecordsCapabilityStatement.Instance);

    public static async Task<Results<Created<PublishedItemResponse>, Ok<PublishedItemResponse>, FhirResult, ForbidHttpResult>>
        PublishFhirResource(string resourceType, HttpContext http, ClaimsPrincipal user,
            [AsParameters] FhirIngestionServices services, CancellationToken ct)
    {
        if (PublisherOf(user) is not { } publisher)
        {
            return TypedResults.Forbid();
        }
        if (!FhirProfile.ResourceTypes.Contains(resourceType))
        {
            return FhirOutcomes.Refused(StatusCodes.Status404NotFound, null,
                "Тип ресурса не поддерживается. Принимаются ресурсы FHIR R4: " + string.Join(", ", FhirProfile.ResourceTypes) + ".",
                OperationOutcome.IssueType.NotSupported);
        }
        var read = await FhirBody.ReadAsync<Resource>(http.Request, MaxBodyBytes, ct, resourceType);
        if (read.Refusal is { } refusal)
        {
            return refusal;
        }

        var outcome = await RecordIngestion.IngestAsync(services.Db, services.Keys, http, publisher,
            [new SubmittedResource(read.Resource!, read.Issues)], read.Issues, services.Time.GetUtcNow(), ct);
        switch (outcome)
        {
            case IngestionOutcome.Refused(var status, var issues):
                return FhirOutcomes.Refused(status, issues.All);
            case IngestionOutcome.Stored([{ Outcome: PublishOutcome.Published, Item: var item, Ingested: var ingested, Cipher: var cipher }]):
                LogPublished(services.Logger, item);
                return TypedResults.Created($"{ItemsRoute}/{item.Id}",
                    PublishedItemResponse.From(item, cipher, ingested.Observations.Count,
                        ingested.Observations.Count(o => Interpretations.IsAbnormal(o.Interpretation))));
            case IngestionOutcome.Stored([{ Item: var item, Cipher: var cipher }]):
                return TypedResults.Ok(await ResponseOfAsync(services.Db, item, cipher, ct));
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    /// <summary>
    /// POST [base] with a transaction Bundle: its entries (each a POST of a resource of the profile) are stored together
    /// or not at all; the answer is a transaction-response Bundle, one entry per entry sent, in their order.
    /// </summary>
    public static async Task<Results<FhirResult, ForbidHttpResult>> PublishTransaction(HttpContext http, ClaimsPrincipal user,
        [AsParameters] FhirIngestionServices services, CancellationToken ct)
    {
        if (PublisherOf(user) is not { } publisher)
        {
            return TypedResults.Forbid();
        }
        var read = await FhirBody.ReadAsync<Bundle>(http.Request, MaxTransactionBytes, ct);
        if (read.Refusal is { } refusal)
        {
            return refusal;
        }

        var entries = FhirTransactions.Entries(read.Resource!, read.Issues, FhirProfile.ResourceTypes);
        var outcome = await RecordIngestion.IngestAsync(services.Db, services.Keys, http, publisher,
            entries.Select(e => new SubmittedResource(e.Resource, e.Issues)).ToList(), read.Issues, services.Time.GetUtcNow(), ct);
        switch (outcome)
        {
            case IngestionOutcome.Refused(var status, var issues):
                return FhirOutcomes.Refused(status, issues.All);
            case IngestionOutcome.Stored(var stored):
                var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
                foreach (var entry in stored)
                {
                    var created = entry.Outcome is PublishOutcome.Published;
                    if (created) LogPublished(services.Logger, entry.Item);
                    response.Entry.Add(FhirTransactions.Response(created, $"{ItemsRoute}/{entry.Item.Id}", entry.Item.Version, entry.Item.ReceivedAt));
                }
                return FhirOutcomes.Resource(StatusCodes.Status200OK, response);
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    /// <summary>The organization of the token; null for a client registered without a name (the name is shown to the patient).</summary>
    private static Publisher? PublisherOf(ClaimsPrincipal user)
    {
        var organizationId = user.GetOrganizationId();
        var organizationName = user.GetOrganizationName()?.Trim();
        return organizationId is null || string.IsNullOrEmpty(organizationName)
            ? null
            : new Publisher(organizationId.Value, organizationName, user.GetClientId() ?? organizationId.Value.ToString());
    }

    private static void LogPublished(ILogger logger, RecordItem item) =>
        logger.LogInformation("Record item {ItemId} (record {RecordId}, version {Version}, {Kind}) published by organization {OrganizationId}",
            item.Id, item.RecordId, item.Version, item.Kind, item.OrganizationId);

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

    private static async Task<PublishedItemResponse> ResponseOfAsync(RecordsDb db, RecordItem item, PatientCipher cipher, CancellationToken ct)
    {
        var interpretations = await db.Observations.AsNoTracking()
            .Where(o => o.ItemId == item.Id)
            .Select(o => o.Interpretation)
            .ToListAsync(ct);
        return PublishedItemResponse.From(item, cipher, interpretations.Count, interpretations.Count(Interpretations.IsAbnormal));
    }
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
