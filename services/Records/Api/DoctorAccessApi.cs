using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Records.Api;

public sealed record DoctorReadServices(RecordsDb Db, PatientDataKeys<RecordsDb> Keys, TimeProvider Time, HttpContext Http);

/// <summary>
/// A doctor reads the record of a patient in their organization's care (attachment or appointment, learned from
/// Appointments' events), without the sections the patient closed to that organization. To a doctor, a patient
/// outside their care, a record refused to the organization and a patient who does not exist look the same: 404.
/// Every read and every refusal is logged for the patient's access log.
/// </summary>
public static class DoctorAccessApi
{
    /// <summary>What a doctor's read implies when they declare no purpose (header X-Access-Purpose).</summary>
    public const string CarePurpose = "оказание медицинской помощи";

    private const int MaxAnalyteCodeLength = 64;

    public static RouteGroupBuilder MapDoctorAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records/patients/{patientId:guid}").WithTags("Doctors")
            .RequireAuthorization(Policies.Doctor);

        api.MapGet("/history", GetPatientHistory).WithName(nameof(GetPatientHistory));
        api.MapGet("/items/{id:guid}", GetPatientItem).WithName(nameof(GetPatientItem));
        api.MapGet("/items/{id:guid}/document", GetPatientItemDocument)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithName(nameof(GetPatientItemDocument));
        api.MapGet("/analytes/{code}/trend", GetPatientTrend).WithName(nameof(GetPatientTrend));

        return api;
    }

    public static async Task<Results<Ok<HistoryPage>, ValidationProblem, ProblemHttpResult>> GetPatientHistory(
        Guid patientId, [AsParameters] RecordFilterQuery query, string? cursor, string? limit,
        ClaimsPrincipal user, [AsParameters] DoctorReadServices services, CancellationToken ct)
    {
        var filter = query.ToFilter(out var errors);
        var pageSize = RecordReads.ParseLimit(limit, errors);
        RecordReads.CheckCursor(cursor, errors);
        if (filter is null || pageSize is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var access = await OpenAsync(services, user, patientId, HistoryApi.HistorySection, null, ct);
        if (access.Refusal is { } refusal) return refusal;

        // The visibility depends on who wrote each item; RecordReads applies it in the query, so the page is full.
        var page = await RecordReads.HistoryPageAsync(services.Db, services.Keys, patientId, filter, cursor, pageSize.Value, access.Visibility, ct);
        if (page is null)
        {
            return Problems.Validation("cursor", "Некорректный курсор страницы: используйте значение nextCursor из предыдущего ответа.");
        }

        await services.Db.LogAccessAsync(services.Http, patientId, HistoryApi.HistorySection, AccessActions.Read, CarePurpose, ct: ct);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> GetPatientItem(
        Guid patientId, Guid id, ClaimsPrincipal user, [AsParameters] DoctorReadServices services, CancellationToken ct)
    {
        var access = await OpenAsync(services, user, patientId, HistoryApi.HistorySection, id, ct);
        if (access.Refusal is { } refusal) return refusal;

        var item = await RecordReads.ItemAsync(services.Db, services.Keys, patientId, id, access.Visibility, ct);
        if (item is null) return await ItemNotFoundAsync(services, patientId, id, access.Visibility!, ct);

        await services.Db.LogAccessAsync(services.Http, patientId, HistoryApi.SectionOf(item.Sections), AccessActions.Read,
            CarePurpose, item.Id, ct: ct);
        return TypedResults.Ok(item);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPatientItemDocument(
        Guid patientId, Guid id, ClaimsPrincipal user, [AsParameters] DoctorReadServices services, CancellationToken ct)
    {
        var access = await OpenAsync(services, user, patientId, HistoryApi.HistorySection, id, ct);
        if (access.Refusal is { } refusal) return refusal;

        var document = await RecordReads.DocumentAsync(services.Db, services.Keys, patientId, id, access.Visibility, ct);
        if (document is null) return await ItemNotFoundAsync(services, patientId, id, access.Visibility!, ct);

        await services.Db.LogAccessAsync(services.Http, patientId, HistoryApi.SectionOf(document.Sections), AccessActions.Read,
            CarePurpose, document.ItemId, ct: ct);
        return HistoryApi.DocumentFile(services.Http, document);
    }

    public static async Task<Results<Ok<TrendResponse>, ValidationProblem, ProblemHttpResult>> GetPatientTrend(
        Guid patientId, string code, string? from, string? to, ClaimsPrincipal user,
        [AsParameters] DoctorReadServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var start = RecordFilterQuery.ParseDate(from, "from", errors);
        var end = RecordFilterQuery.ParseDate(to, "to", errors);
        if (start > end) errors["from"] = ["Начало периода не может быть позже его окончания."];
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxAnalyteCodeLength)
        {
            errors["code"] = [$"Код показателя указывается непустой строкой не длиннее {MaxAnalyteCodeLength} символов."];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var access = await OpenAsync(services, user, patientId, RecordSections.LabResults, null, ct);
        if (access.Refusal is { } refusal) return refusal;

        var trend = await RecordReads.TrendAsync(services.Db, services.Keys, patientId, code, start, end, access.Visibility, ct);
        if (trend is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Не найдено",
                detail: "У пациента нет значений этого показателя.");
        }

        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.LabResults, AccessActions.Read, CarePurpose, ct: ct);
        return TypedResults.Ok(trend);
    }

    /// <summary>The record opened to the doctor's organization (what of it they may see), or the refusal to answer.</summary>
    private sealed record Access(RecordVisibility? Visibility, ProblemHttpResult? Refusal);

    /// <summary>
    /// Whether the doctor's organization may open the patient's record now: in its care, and not refused the whole
    /// record. A refusal is logged and answered like a patient who does not exist.
    /// </summary>
    private static async Task<Access> OpenAsync(DoctorReadServices services, ClaimsPrincipal user, Guid patientId,
        string section, Guid? itemId, CancellationToken ct)
    {
        if (user.GetOrganizationId() is not { } organizationId)
        {
            // A doctor's token always names their organization; without one nobody's record is in their care.
            await services.Db.LogAccessAsync(services.Http, patientId, section, AccessActions.Read, CarePurpose, itemId,
                AccessOutcomes.Refused, ct);
            return new Access(null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "В вашей учётной записи не указана медицинская организация: обратитесь к администратору."));
        }

        var now = services.Time.GetUtcNow();
        var closed = await services.Db.IsInCareAsync(patientId, organizationId, now, ct)
            ? await CareAccess.ClosedSectionsAsync(services.Db, patientId, organizationId, ct)
            : null;
        if (closed is null || closed.WholeRecord)
        {
            await services.Db.LogAccessAsync(services.Http, patientId, section, AccessActions.Read, CarePurpose, itemId,
                AccessOutcomes.Refused, ct);
            return new Access(null, PatientNotFound());
        }
        return new Access(closed.Visibility, null);
    }

    /// <summary>The same answer whether the patient does not exist, is not in the organization's care, or refused it the record.</summary>
    private static ProblemHttpResult PatientNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Не найдено",
            detail: "Медицинская карта недоступна: пациент не прикреплён к вашей организации и не записан к ней на приём, " +
                    "либо такого пациента нет.");

    private static ProblemHttpResult ItemNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Не найдено", detail: "Запись не найдена.");

    /// <summary>
    /// No such item, or one in a section closed to the organization: the latter is logged as refused (under the
    /// section that hides it); both are answered alike.
    /// </summary>
    private static async Task<ProblemHttpResult> ItemNotFoundAsync(DoctorReadServices services, Guid patientId, Guid itemId,
        RecordVisibility visibility, CancellationToken ct)
    {
        if (await RecordReads.HiddenItemAsync(services.Db, patientId, itemId, visibility, ct) is { } hidden)
        {
            await services.Db.LogAccessAsync(services.Http, patientId, hidden.Section, AccessActions.Read, CarePurpose,
                hidden.ItemId, AccessOutcomes.Refused, ct);
        }
        return ItemNotFound();
    }
}
