using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.Prescriptions.Pharmacies;
using Gosuslugi.Health.Prescriptions.Printing;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Api;

public sealed record PrescriptionsServices(PrescriptionsDb Db, PatientDataKeys<PrescriptionsDb> Keys, TimeProvider Time,
    ILogger<PrescriptionsServices> Logger);

/// <summary>«Мои назначения»: the patient's (or a represented person's) prescriptions, the card, the QR reference, sending.</summary>
public static class PatientPrescriptionsApi
{
    public const string Route = "/api/v1/prescriptions";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public const string ReadPurpose = "просмотр электронных рецептов";
    public const string ExportPurpose = "печать электронного рецепта";
    public const string SendPurpose = "отправка рецепта в аптеку";

    /// <summary>The list's <c>status</c> filter: "current" (active, not past its last day), "past" (the rest), or one status.</summary>
    public static readonly string[] StatusFilters =
        ["current", "past", PrescriptionStatuses.Active, PrescriptionStatuses.Completed, PrescriptionStatuses.Cancelled, PrescriptionStatuses.Expired];

    public static RouteGroupBuilder MapPatientPrescriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Prescriptions");
        // Any signed-in person chooses among pharmacies; no medical data in it.
        api.MapGet("/pharmacies", ListPharmacies).RequireAuthorization(Policies.MedicalData).WithName(nameof(ListPharmacies));
        api.MapGet("/", ListMyPrescriptions).RequireAuthorization(Policies.MedicalData).WithName(nameof(ListMyPrescriptions));
        api.MapGet("/{id:guid}", GetMyPrescription).RequireAuthorization(Policies.MedicalData).WithName(nameof(GetMyPrescription));
        api.MapGet("/{id:guid}/reference", GetPrescriptionReference).RequireAuthorization(Policies.MedicalData)
            .WithName(nameof(GetPrescriptionReference));
        api.MapGet("/{id:guid}/pdf", GetPrescriptionPdf).RequireAuthorization(Policies.MedicalData)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").WithName(nameof(GetPrescriptionPdf));
        api.MapPost("/{id:guid}/pharmacy", SendToPharmacy).RequireAuthorization(Policies.MedicalData)
            .Accepts<SendToPharmacyRequest>("application/json").WithName(nameof(SendToPharmacy));
        return api;
    }

    public static async Task<Ok<PharmacyListResponse>> ListPharmacies(PrescriptionsDb db, CancellationToken ct)
    {
        var pharmacies = await db.Pharmacies.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(new PharmacyListResponse(pharmacies.Select(PharmacyDto.From).ToList()));
    }

    /// <summary>Newest first, <paramref name="limit"/> a page, the next page after <paramref name="cursor"/> (keyset).</summary>
    public static async Task<Results<Ok<PrescriptionListResponse>, ValidationProblem, ProblemHttpResult>> ListMyPrescriptions(
        HttpContext http, ClaimsPrincipal user, [AsParameters] PrescriptionsServices services, string? status = null,
        string? cursor = null, int? limit = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !StatusFilters.Contains(status))
            errors["status"] = ["Фильтр по статусу: " + string.Join(", ", StatusFilters) + "."];
        if (limit is < 1 or > MaxPageSize) errors["limit"] = [$"Размер страницы — от 1 до {MaxPageSize}."];
        var after = cursor is null ? null : Cursor.Read(cursor);
        if (cursor is not null && after is null) errors["cursor"] = ["Неверный курсор страницы."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var patientId = user.GetSubjectId();
        if (!user.CanReadSection(RecordSections.Prescriptions))
        {
            await services.Db.LogAccessAsync(http, patientId, RecordSections.Prescriptions, AccessActions.Read, ReadPurpose,
                outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }

        var today = MoscowTime.DateOf(services.Time.GetUtcNow());
        var query = services.Db.Prescriptions.AsNoTracking().Where(p => p.PatientId == patientId);
        query = status switch
        {
            "current" or PrescriptionStatuses.Active => query.Where(p => p.Status == PrescriptionStatuses.Active && p.ValidUntil >= today),
            "past" => query.Where(p => p.Status != PrescriptionStatuses.Active || p.ValidUntil < today),
            PrescriptionStatuses.Expired => query.Where(p => p.Status == PrescriptionStatuses.Expired
                || (p.Status == PrescriptionStatuses.Active && p.ValidUntil < today)),
            null => query,
            _ => query.Where(p => p.Status == status),
        };
        if (after is { } position)
        {
            var (afterIssuedAt, afterId) = position;
            query = query.Where(p => p.IssuedAt < afterIssuedAt || (p.IssuedAt == afterIssuedAt && p.Id.CompareTo(afterId) < 0));
        }
        var size = limit ?? DefaultPageSize;
        var page = await query.OrderByDescending(p => p.IssuedAt).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(ct);
        var cipher = await services.Keys.ForReadingAsync(patientId, ct);
        await services.Db.LogAccessAsync(http, patientId, RecordSections.Prescriptions, AccessActions.Read, ReadPurpose, ct: ct);

        var items = page.Take(size).Select(p => PrescriptionResponse.From(p, cipher, today)).ToList();
        var next = page.Count > size ? Cursor.Write(page[size - 1].IssuedAt, page[size - 1].Id) : null;
        return TypedResults.Ok(new PrescriptionListResponse(items, next));
    }

    public static async Task<Results<Ok<PrescriptionCardResponse>, NotFound, ProblemHttpResult>> GetMyPrescription(
        Guid id, HttpContext http, ClaimsPrincipal user, [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        if (await FindOwnAsync(id, http, user, services.Db, ReadPurpose, AccessActions.Read, ct) is not { } found)
        {
            return TypedResults.NotFound();
        }
        if (found.Refusal is { } refusal) return refusal;
        var prescription = found.Prescription!;
        var card = await PrescriptionCards.ReadAsync(services.Db, services.Keys, prescription, services.Time.GetUtcNow(), ct);
        await services.Db.LogAccessAsync(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Read, ReadPurpose,
            prescription.Id, ct: ct);
        return TypedResults.Ok(card);
    }

    /// <summary>The signed reference the printed prescription's QR code holds (printing is an export of the prescription).</summary>
    public static async Task<Results<Ok<PrescriptionReferenceResponse>, NotFound, ProblemHttpResult>> GetPrescriptionReference(
        Guid id, HttpContext http, ClaimsPrincipal user, PrescriptionsDb db, PrescriptionReferences references, CancellationToken ct)
    {
        if (await FindOwnAsync(id, http, user, db, ExportPurpose, AccessActions.Export, ct) is not { } found)
        {
            return TypedResults.NotFound();
        }
        if (found.Refusal is { } refusal) return refusal;
        var reference = references.Create(id);
        await db.LogAccessAsync(http, found.Prescription!.PatientId, RecordSections.Prescriptions, AccessActions.Export, ExportPurpose,
            id, ct: ct);
        return TypedResults.Ok(new PrescriptionReferenceResponse(id, reference));
    }

    /// <summary>The prescription for printing, with the QR code of its signed reference (an export).</summary>
    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetPrescriptionPdf(
        Guid id, HttpContext http, ClaimsPrincipal user, PrescriptionReferences references, [AsParameters] PrescriptionsServices services,
        CancellationToken ct)
    {
        if (await FindOwnAsync(id, http, user, services.Db, ExportPurpose, AccessActions.Export, ct) is not { } found)
        {
            return TypedResults.NotFound();
        }
        if (found.Refusal is { } refusal) return refusal;
        var prescription = found.Prescription!;
        var now = services.Time.GetUtcNow();
        var cipher = await services.Keys.ForReadingAsync(prescription.PatientId, ct);
        var pdf = PrescriptionPdf.Render(PrescriptionResponse.From(prescription, cipher, MoscowTime.DateOf(now)), references.Create(id), now);
        await services.Db.LogAccessAsync(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Export, ExportPurpose,
            id, ct: ct);
        return TypedResults.File(pdf, "application/pdf", $"recept-{prescription.AuthoredOn:yyyy-MM-dd}.pdf");
    }

    public static async Task<Results<Ok<PrescriptionCardResponse>, NotFound, ValidationProblem, ProblemHttpResult>> SendToPharmacy(
        Guid id, HttpContext http, ClaimsPrincipal user, Json<SendToPharmacyRequest> body, [AsParameters] PrescriptionsServices services,
        CancellationToken ct)
    {
        var key = http.Request.Headers[PharmacySendingRules.IdempotencyKeyHeader].ToString().Trim();
        if (key.Length > PharmacySending.IdempotencyKeyLength)
        {
            return Problems.Validation(PharmacySendingRules.IdempotencyKeyHeader,
                $"Ключ идемпотентности должен быть не длиннее {PharmacySending.IdempotencyKeyLength} символов.");
        }
        if (body.Value.PharmacyId is not { } pharmacyId)
        {
            return Problems.Validation("pharmacyId", "Выберите аптеку.");
        }
        if (await FindOwnAsync(id, http, user, services.Db, SendPurpose, AccessActions.Change, ct) is not { } found)
        {
            return TypedResults.NotFound();
        }
        if (found.Refusal is { } refusal) return refusal;

        var outcome = await PharmacySendingRules.SendAsync(services.Db, http, found.Prescription!, pharmacyId,
            key.Length == 0 ? null : key, services.Time.GetUtcNow(), ct);
        if (outcome is not null) return outcome;
        services.Logger.LogInformation("Prescription {PrescriptionId} sent to pharmacy {PharmacyId}", id, pharmacyId);
        var sent = await services.Db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == id, ct);
        return TypedResults.Ok(await PrescriptionCards.ReadAsync(services.Db, services.Keys, sent, services.Time.GetUtcNow(), ct));
    }

    private sealed record Found(Prescription? Prescription, ProblemHttpResult? Refusal);

    /// <summary>
    /// The caller's own (or represented person's) prescription; null — answered 404 exactly like a missing id — for anyone
    /// else's. A representative whose delegation does not open prescriptions gets the refusal, logged.
    /// </summary>
    private static async Task<Found?> FindOwnAsync(Guid id, HttpContext http, ClaimsPrincipal user, PrescriptionsDb db,
        string purpose, string action, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadSection(RecordSections.Prescriptions))
        {
            await db.LogAccessAsync(http, patientId, RecordSections.Prescriptions, action, purpose, id, AccessOutcomes.Refused, ct);
            return new Found(null, AccessProblems.SectionNotDelegated());
        }
        var prescription = await db.Prescriptions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.PatientId == patientId, ct);
        return prescription is null ? null : new Found(prescription, null);
    }

    /// <summary>The keyset position (issued_at, id) of the last item of a page, opaque to the client.</summary>
    private static class Cursor
    {
        public static string Write(DateTimeOffset issuedAt, Guid id)
        {
            var bytes = new byte[24];
            BinaryPrimitives.WriteInt64BigEndian(bytes, issuedAt.UtcTicks);
            id.TryWriteBytes(bytes.AsSpan(8), bigEndian: true, out _);
            return Base64Url.EncodeToString(bytes);
        }

        public static (DateTimeOffset IssuedAt, Guid Id)? Read(string cursor)
        {
            try
            {
                var bytes = Base64Url.DecodeFromChars(cursor);
                if (bytes.Length != 24) return null;
                var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
                if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return null;
                return (new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.AsSpan(8), bigEndian: true));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
