using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Exports;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Api;

public sealed record ExportServices(RecordsDb Db, PatientDataKeys<RecordsDb> Keys, TimeProvider Time, ILogger<ExportServices> Logger);

/// <summary>
/// Exports of a filtered selection of the patient's history (the filter of the history page) as PDF and CSV, for the
/// patient or someone acting for them (a limited delegation exports only what it may read).
/// </summary>
public static class ExportsApi
{
    /// <summary>The area the access events of exports are logged under.</summary>
    public const string ExportsSection = "exports";

    /// <summary>Bytes of a PDF export kept in memory before the rest goes to a temporary file.</summary>
    private const int PdfMemoryBuffer = 4 * 1024 * 1024;

    public const string PdfPurpose = "выгрузка медицинской карты в PDF";
    public const string CsvPurpose = "выгрузка медицинской карты в CSV";

    public static RouteGroupBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Exports");

        api.MapGet("/exports/history.pdf", ExportHistoryPdf)
            .RequireAuthorization(Policies.MedicalData)
            .Produces(StatusCodes.Status200OK, contentType: HistoryPdf.ContentType)
            .WithName(nameof(ExportHistoryPdf));
        api.MapGet("/exports/history.csv", ExportHistoryCsv)
            .RequireAuthorization(Policies.MedicalData)
            .Produces(StatusCodes.Status200OK, contentType: HistoryCsv.ContentType)
            .WithName(nameof(ExportHistoryCsv));

        return api;
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportHistoryPdf(
        [AsParameters] RecordFilterQuery query, HttpContext http, ClaimsPrincipal user,
        [AsParameters] ExportServices services, CancellationToken ct)
    {
        var prepared = await PrepareAsync(query, http, user, services, PdfPurpose, ct);
        if (prepared.Refusal is { } refusal) return refusal;
        if (prepared.Invalid is { } invalid) return invalid;
        var (header, selection) = (prepared.Header!, prepared.Selection!);

        return TypedResults.Stream(async body =>
        {
            // A PDF is written synchronously and only once it is complete (its cross-reference table needs every
            // object's offset); the buffer lets the response itself be written asynchronously. Pooled memory up to
            // PdfMemoryBuffer (a thousand results take about 0.4 MiB), a temporary file only beyond it.
            await using var buffer = new FileBufferingWriteStream(PdfMemoryBuffer);
            await HistoryPdf.RenderAsync(header, selection.EntriesAsync(http.RequestAborted), buffer, http.RequestAborted);
            await buffer.DrainBufferAsync(body, http.RequestAborted);
            services.Logger.LogInformation("History of {PatientId} exported as PDF: {ItemCount} items",
                user.GetSubjectId(), selection.Items.Count);
        }, HistoryPdf.ContentType, ExportText.FileName(header.GeneratedAt, "pdf"));
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportHistoryCsv(
        [AsParameters] RecordFilterQuery query, HttpContext http, ClaimsPrincipal user,
        [AsParameters] ExportServices services, CancellationToken ct)
    {
        var prepared = await PrepareAsync(query, http, user, services, CsvPurpose, ct);
        if (prepared.Refusal is { } refusal) return refusal;
        if (prepared.Invalid is { } invalid) return invalid;
        var (header, selection) = (prepared.Header!, prepared.Selection!);

        return TypedResults.Stream(async body =>
        {
            await HistoryCsv.WriteAsync(selection.EntriesAsync(http.RequestAborted), body, http.RequestAborted);
            services.Logger.LogInformation("History of {PatientId} exported as CSV: {ItemCount} items",
                user.GetSubjectId(), selection.Items.Count);
        }, HistoryCsv.ContentType, ExportText.FileName(header.GeneratedAt, "csv"));
    }

    private sealed record Prepared(ExportHeader? Header, ExportSelection? Selection, ValidationProblem? Invalid = null,
        ProblemHttpResult? Refusal = null);

    /// <summary>
    /// Validates the filter, selects the items (refusing a selection over the cap) and logs the one access event of
    /// the export, before anything is streamed.
    /// </summary>
    private static async Task<Prepared> PrepareAsync(RecordFilterQuery query, HttpContext http, ClaimsPrincipal user,
        ExportServices services, string purpose, CancellationToken ct)
    {
        var filter = query.ToFilter(out var errors);
        if (filter is null)
        {
            return new Prepared(null, null, Problems.Validation(errors));
        }

        var patientId = user.GetSubjectId();
        // A limited delegation exports what it may read; the rest of the record is not there for it.
        var hiddenSections = RecordReads.HiddenSectionsFor(user);
        var selection = await ExportSelection.LoadAsync(services.Db, services.Keys, patientId, filter, hiddenSections, ct);
        if (selection is null)
        {
            return new Prepared(null, null, Refusal: TooLarge());
        }

        var patient = await services.Db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, ct);
        var header = new ExportHeader(patient?.FullName, patient?.BirthDate, filter, selection.Items,
            hiddenSections is not null, services.Time.GetUtcNow());

        await services.Db.LogAccessAsync(http, patientId, ExportsSection, AccessActions.Export, purpose, ct: ct);
        // Medical data: never kept by a shared cache, nor by the browser beyond the download.
        http.Response.Headers.CacheControl = "no-store";
        return new Prepared(header, selection);
    }

    private static ProblemHttpResult TooLarge()
    {
        var limit = ExportSelection.MaxItems.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');
        var message = $"Выгрузка ограничена {limit} записями. Сузьте период или выберите виды записей.";
        return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["from"] = [message],
            ["to"] = [message],
        })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Слишком большая выгрузка",
            Detail = $"Выбрано больше {limit} записей медицинской карты. Сузьте период выгрузки.",
            Extensions = { ["limit"] = ExportSelection.MaxItems },
        });
    }
}
