using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// The patient's history and its items, read by the patient or by someone acting for them (the token's sub is the
/// patient then; a limited delegation sees lab results and prescriptions only).
/// </summary>
public static class HistoryApi
{
    public const string HistorySection = "history";

    public static RouteGroupBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("History")
            // The patient's own record, or a represented person's (the token's sub is theirs then).
            .RequireAuthorization(Policies.MedicalData);

        api.MapGet("/history", GetHistory)
            .WithName(nameof(GetHistory));
        api.MapGet("/items/{id:guid}", GetItem)
            .WithName(nameof(GetItem));
        api.MapGet("/items/{id:guid}/versions/{version:int}", GetItemVersion)
            .WithName(nameof(GetItemVersion));
        api.MapGet("/items/{id:guid}/document", GetItemDocument)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithName(nameof(GetItemDocument));

        return api;
    }

    public static async Task<Results<Ok<HistoryPage>, ValidationProblem>> GetHistory(
        [AsParameters] RecordFilterQuery query, string? cursor, string? limit,
        HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var filter = query.ToFilter(out var errors);
        var pageSize = RecordReads.ParseLimit(limit, errors);
        RecordReads.CheckCursor(cursor, errors);
        if (filter is null || pageSize is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var patientId = user.GetSubjectId();
        // A limited delegation sees only what it may open; the rest of the history is not there for it.
        var page = await RecordReads.HistoryPageAsync(db, keys, patientId, filter, cursor, pageSize.Value,
            RecordReads.VisibilityFor(user), ct);
        if (page is null)
        {
            return Problems.Validation("cursor", "Некорректный курсор страницы: используйте значение nextCursor из предыдущего ответа.");
        }

        await db.LogAccessAsync(http, patientId, HistorySection, AccessActions.Read, "просмотр истории медицинской карты", ct: ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<ItemResponse>, NotFound, ProblemHttpResult>> GetItem(
        Guid id, HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        // Someone else's item answers exactly like a missing one.
        // Everything is read, then a section not delegated answers 403 (a list would just leave the item out).
        var item = await RecordReads.ItemAsync(db, keys, patientId, id, RecordVisibility.Everything, ct);
        if (item is null) return TypedResults.NotFound();

        if (await RefusedAsync(http, user, db, patientId, item.Id, item.Sections, ct) is { } refusal) return refusal;

        await db.LogAccessAsync(http, patientId, SectionOf(item.Sections), AccessActions.Read,
            "просмотр записи медицинской карты", item.Id, ct: ct);
        return TypedResults.Ok(item);
    }

    public static async Task<Results<Ok<ItemResponse>, NotFound, ProblemHttpResult>> GetItemVersion(
        Guid id, int version, HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        var item = await RecordReads.ItemVersionAsync(db, keys, patientId, id, version, RecordVisibility.Everything, ct);
        if (item is null) return TypedResults.NotFound();

        if (await RefusedAsync(http, user, db, patientId, item.Id, item.Sections, ct) is { } refusal) return refusal;

        await db.LogAccessAsync(http, patientId, SectionOf(item.Sections), AccessActions.Read,
            "просмотр предыдущей версии записи медицинской карты", item.Id, ct: ct);
        return TypedResults.Ok(item);
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetItemDocument(
        Guid id, HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        var document = await RecordReads.DocumentAsync(db, keys, patientId, id, RecordVisibility.Everything, ct);
        if (document is null) return TypedResults.NotFound();

        if (await RefusedAsync(http, user, db, patientId, document.ItemId, document.Sections, ct) is { } refusal) return refusal;

        await db.LogAccessAsync(http, patientId, SectionOf(document.Sections), AccessActions.Read,
            "просмотр документа медицинской карты (PDF)", document.ItemId, ct: ct);
        return DocumentFile(http, document);
    }

    /// <summary>The PDF as an attachment, its SHA-256 as the ETag; never stored by shared caches.</summary>
    public static FileContentHttpResult DocumentFile(HttpContext http, DocumentRead document)
    {
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.File(document.Content, document.ContentType, document.FileName,
            entityTag: new EntityTagHeaderValue($"\"{document.Sha256}\""));
    }

    /// <summary>The section an item's read is logged under: its kind's section (the first one).</summary>
    public static string SectionOf(IReadOnlyList<string> sections) => sections.Count > 0 ? sections[0] : RecordSections.Visits;

    /// <summary>
    /// For a representative whose delegation does not cover one of the item's sections: logs the refusal and returns
    /// the 403 problem; null when the token may read the item.
    /// </summary>
    private static async Task<ProblemHttpResult?> RefusedAsync(HttpContext http, ClaimsPrincipal user, RecordsDb db,
        Guid patientId, Guid itemId, IReadOnlyList<string> sections, CancellationToken ct)
    {
        var refused = sections.FirstOrDefault(s => !user.CanReadSection(s));
        if (refused is null) return null;
        await db.LogAccessAsync(http, patientId, refused, AccessActions.Read, "просмотр записи медицинской карты",
            itemId, AccessOutcomes.Refused, ct);
        return AccessProblems.SectionNotDelegated();
    }
}
