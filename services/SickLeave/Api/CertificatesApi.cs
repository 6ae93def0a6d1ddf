using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Pdf;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Api;

public sealed record SickLeaveReadServices(SickLeaveDb Db, PatientDataKeys<SickLeaveDb> Keys, TimeProvider Time, HttpContext Http);

/// <summary>
/// «Листки нетрудоспособности»: the person's own certificates, or a represented person's through a delegation whose
/// scope covers the whole record (the token's sub is theirs then). Someone else's certificate answers like a missing one.
/// </summary>
public static class CertificatesApi
{
    public const string Route = "/api/v1/sick-leave";

    public const string ReadPurpose = "просмотр листков нетрудоспособности";
    public const string ExportPurpose = "скачивание листка нетрудоспособности в PDF";

    public static RouteGroupBuilder MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route + "/certificates").WithTags("Sick leave").RequireAuthorization(Policies.MedicalData);

        api.MapGet("/", ListMyCertificates).WithName(nameof(ListMyCertificates));
        api.MapGet("/{id:guid}", GetMyCertificate).WithName(nameof(GetMyCertificate));
        api.MapGet("/{id:guid}/pdf", GetMyCertificatePdf)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithName(nameof(GetMyCertificatePdf));

        return api;
    }

    public static async Task<Results<Ok<CertificateListResponse>, ValidationProblem, ProblemHttpResult>> ListMyCertificates(
        string? from, string? to, string? number, ClaimsPrincipal user, HttpContext http, SickLeaveDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefusedAsync(http, user, db, patientId, AccessActions.Read, ReadPurpose, null, ct) is { } refused) return refused;

        var filter = CertificateFilter.Parse(from, to, number, out var errors);
        if (filter is null) return Problems.Validation(errors);

        var items = await CertificateReads.ListAsync(db, patientId, filter, ct);
        await db.LogAccessAsync(http, patientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new CertificateListResponse(items.Select(CertificateSummary.From).ToList()));
    }

    public static async Task<Results<Ok<CertificateResponse>, NotFound, ProblemHttpResult>> GetMyCertificate(
        Guid id, ClaimsPrincipal user, [AsParameters] SickLeaveReadServices services, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefusedAsync(services.Http, user, services.Db, patientId, AccessActions.Read, ReadPurpose, id, ct) is { } refused) return refused;

        var read = await CertificateReads.OpenAsync(services.Db, services.Keys, c => c.Id == id && c.PatientId == patientId, ct);
        if (read is null) return TypedResults.NotFound();

        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(CertificateResponse.From(read));
    }

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetMyCertificatePdf(
        Guid id, ClaimsPrincipal user, [AsParameters] SickLeaveReadServices services, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefusedAsync(services.Http, user, services.Db, patientId, AccessActions.Export, ExportPurpose, id, ct) is { } refused) return refused;

        var read = await CertificateReads.OpenAsync(services.Db, services.Keys, c => c.Id == id && c.PatientId == patientId, ct);
        if (read is null) return TypedResults.NotFound();

        var patient = await services.Db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, ct);
        var pdf = CertificatePdf.Render(read, patient, services.Time.GetUtcNow());
        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.SickLeave, AccessActions.Export, ExportPurpose, id, ct: ct);
        services.Http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(pdf, "application/pdf", CertificatePdf.FileName(read.Certificate.Number));
    }

    /// <summary>
    /// A representative whose delegation does not cover sick leave (a limited one: prescriptions and lab results):
    /// the refusal is logged and answered 403; null when the token may read.
    /// </summary>
    internal static async Task<ProblemHttpResult?> RefusedAsync(HttpContext http, ClaimsPrincipal user, SickLeaveDb db,
        Guid patientId, string action, string purpose, Guid? itemId, CancellationToken ct)
    {
        if (user.CanReadSection(RecordSections.SickLeave)) return null;
        await db.LogAccessAsync(http, patientId, RecordSections.SickLeave, action, purpose, itemId, AccessOutcomes.Refused, ct);
        return AccessProblems.SectionNotDelegated();
    }
}
