using System.Security.Claims;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Api;

/// <summary>
/// Lab results by analyte (the patient's analytes, an analyte's trend) and the patient's own thresholds, whose
/// crossing by a new result is announced (Events/ThresholdCrossingConsumer).
/// </summary>
public static class ResultsApi
{
    public const int MaxCodeLength = 64;

    // numeric(18,6): twelve digits before the point.
    private const decimal MaxThresholdMagnitude = 999_999_999_999m;

    public const string ThresholdsNotDelegatedDetail =
        "Пороговые значения может менять только сам пациент или представитель с полной доверенностью.";

    public static RouteGroupBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Results")
            // The patient's own record, or a represented person's (the token's sub is theirs then).
            .RequireAuthorization(Policies.MedicalData);

        api.MapGet("/analytes", GetAnalytes)
            .WithName(nameof(GetAnalytes));
        api.MapGet("/analytes/{code}/trend", GetTrend)
            .WithName(nameof(GetTrend));

        api.MapGet("/thresholds", GetThresholds)
            .WithName(nameof(GetThresholds));
        api.MapGet("/thresholds/{code}", GetThreshold)
            .WithName(nameof(GetThreshold));
        api.MapPut("/thresholds/{code}", PutThreshold)
            .Accepts<ThresholdRequest>("application/json")
            .WithName(nameof(PutThreshold));
        api.MapDelete("/thresholds/{code}", DeleteThreshold)
            .WithName(nameof(DeleteThreshold));

        return api;
    }

    public static async Task<Results<Ok<AnalyteList>, ProblemHttpResult>> GetAnalytes(
        HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefusedAsync(http, user, db, patientId, "просмотр показателей анализов", ct) is { } refusal) return refusal;

        var analytes = await RecordReads.AnalytesAsync(db, keys, patientId, RecordReads.VisibilityFor(user), ct);
        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Read,
            "просмотр показателей анализов", ct: ct);
        return TypedResults.Ok(new AnalyteList(analytes));
    }

    public static async Task<Results<Ok<TrendResponse>, NotFound, ValidationProblem, ProblemHttpResult>> GetTrend(
        string code, string? from, string? to, HttpContext http, ClaimsPrincipal user, RecordsDb db, PatientDataKeys<RecordsDb> keys,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCode(code, errors);
        var start = RecordFilterQuery.ParseDate(from, "from", errors);
        var end = RecordFilterQuery.ParseDate(to, "to", errors);
        if (start > end) errors["from"] = ["Начало периода не может быть позже его окончания."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var patientId = user.GetSubjectId();
        if (await RefusedAsync(http, user, db, patientId, "просмотр динамики показателя анализов", ct) is { } refusal) return refusal;

        var trend = await RecordReads.TrendAsync(db, keys, patientId, code, start, end, RecordReads.VisibilityFor(user), ct);
        if (trend is null) return TypedResults.NotFound();

        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Read,
            "просмотр динамики показателя анализов", ct: ct);
        return TypedResults.Ok(trend);
    }

    public static async Task<Results<Ok<ThresholdList>, ProblemHttpResult>> GetThresholds(
        HttpContext http, ClaimsPrincipal user, RecordsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await RefusedAsync(http, user, db, patientId, "просмотр пороговых значений анализов", ct) is { } refusal) return refusal;

        var thresholds = await db.Thresholds.AsNoTracking()
            .Where(t => t.PatientId == patientId)
            .OrderBy(t => t.AnalyteCode)
            .ToListAsync(ct);
        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Read,
            "просмотр пороговых значений анализов", ct: ct);
        return TypedResults.Ok(new ThresholdList(thresholds.Select(RecordReads.ToResponse).ToList()));
    }

    public static async Task<Results<Ok<ThresholdResponse>, NotFound, ValidationProblem, ProblemHttpResult>> GetThreshold(
        string code, HttpContext http, ClaimsPrincipal user, RecordsDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CheckCode(code, errors)) return Problems.Validation(errors);

        var patientId = user.GetSubjectId();
        if (await RefusedAsync(http, user, db, patientId, "просмотр пороговых значений анализов", ct) is { } refusal) return refusal;

        var threshold = await db.Thresholds.AsNoTracking()
            .SingleOrDefaultAsync(t => t.PatientId == patientId && t.AnalyteCode == code, ct);
        if (threshold is null) return TypedResults.NotFound();

        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Read,
            "просмотр пороговых значений анализов", ct: ct);
        return TypedResults.Ok(RecordReads.ToResponse(threshold));
    }

    public static async Task<Results<Ok<ThresholdResponse>, ValidationProblem, ProblemHttpResult>> PutThreshold(
        string code, HttpRequest request, HttpContext http, ClaimsPrincipal user, RecordsDb db, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCode(code, errors);
        var body = await ReadThresholdAsync(request, errors, ct);
        if (errors.Count > 0 || body is null) return Problems.Validation(errors);

        var patientId = user.GetSubjectId();
        if (await ChangeRefusedAsync(http, user, db, patientId, "изменение пороговых значений анализов", ct) is { } refusal) return refusal;

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // An upsert, so that two concurrent saves of the same analyte both succeed (the last one wins).
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO analyte_thresholds (patient_id, analyte_code, low, high, updated_at)
            VALUES ({patientId}, {code}, {body.Low}, {body.High}, {now})
            ON CONFLICT (patient_id, analyte_code)
            DO UPDATE SET low = EXCLUDED.low, high = EXCLUDED.high, updated_at = EXCLUDED.updated_at
            """, ct);
        db.AddAccessEvent(http, patientId, RecordSections.LabResults, AccessActions.Change, "изменение пороговых значений анализов");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new ThresholdResponse(code, body.Low, body.High, now));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> DeleteThreshold(
        string code, HttpContext http, ClaimsPrincipal user, RecordsDb db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CheckCode(code, errors)) return Problems.Validation(errors);

        var patientId = user.GetSubjectId();
        if (await ChangeRefusedAsync(http, user, db, patientId, "удаление порогового значения анализа", ct) is { } refusal) return refusal;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Thresholds.Where(t => t.PatientId == patientId && t.AnalyteCode == code).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            await transaction.RollbackAsync(ct);
            return TypedResults.NotFound();
        }
        db.AddAccessEvent(http, patientId, RecordSections.LabResults, AccessActions.Change, "удаление порогового значения анализа");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static bool CheckCode(string code, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxCodeLength || code.Any(char.IsControl) || code != code.Trim())
        {
            errors["code"] = [$"Код показателя — непустая строка не длиннее {MaxCodeLength} символов без пробелов по краям."];
            return false;
        }
        return true;
    }

    /// <summary>{low?, high?}: numbers (or null), at least one, low below high. Errors are named by field.</summary>
    private static async Task<ThresholdRequest?> ReadThresholdAsync(HttpRequest request, IDictionary<string, string[]> errors,
        CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            errors["body"] = ["Передайте пороги в теле запроса в формате JSON: {\"low\": 3.5, \"high\": 5.5}."];
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["Передайте пороги объектом JSON: {\"low\": 3.5, \"high\": 5.5}."];
                return null;
            }

            var low = ReadLimit(document.RootElement, "low", "Нижний порог", errors);
            var high = ReadLimit(document.RootElement, "high", "Верхний порог", errors);
            if (errors.ContainsKey("low") || errors.ContainsKey("high")) return null;
            if (low is null && high is null)
            {
                errors["low"] = ["Укажите хотя бы один порог: нижний (low) или верхний (high)."];
                errors["high"] = ["Укажите хотя бы один порог: нижний (low) или верхний (high)."];
                return null;
            }
            if (low >= high)
            {
                errors["low"] = ["Нижний порог должен быть меньше верхнего."];
                return null;
            }
            return new ThresholdRequest(low, high);
        }
    }

    private static decimal? ReadLimit(JsonElement body, string field, string label, IDictionary<string, string[]> errors)
    {
        var property = body.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        if (property.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDecimal(out var value))
        {
            errors[field] = [$"{label} указывается числом, например 5.5."];
            return null;
        }
        if (Math.Abs(value) > MaxThresholdMagnitude || decimal.Round(value, 6) != value)
        {
            errors[field] = [$"{label} должен быть не больше 999 999 999 999 по модулю и иметь не более 6 знаков после запятой."];
            return null;
        }
        return value;
    }

    /// <summary>Reading by analyte is the lab results section; a delegation without it is refused (and logged).</summary>
    private static async Task<ProblemHttpResult?> RefusedAsync(HttpContext http, ClaimsPrincipal user, RecordsDb db,
        Guid patientId, string purpose, CancellationToken ct)
    {
        if (user.CanReadSection(RecordSections.LabResults)) return null;
        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Read, purpose,
            outcome: AccessOutcomes.Refused, ct: ct);
        return AccessProblems.SectionNotDelegated();
    }

    /// <summary>
    /// Thresholds are the patient's own settings: changed by the patient or a representative with the whole record
    /// ("all"/"manage"), not by a limited delegation that may only look at results.
    /// </summary>
    private static async Task<ProblemHttpResult?> ChangeRefusedAsync(HttpContext http, ClaimsPrincipal user, RecordsDb db,
        Guid patientId, string purpose, CancellationToken ct)
    {
        if (!user.IsActingForSomeoneElse() || user.CanReadWholeRecord()) return null;
        await db.LogAccessAsync(http, patientId, RecordSections.LabResults, AccessActions.Change, purpose,
            outcome: AccessOutcomes.Refused, ct: ct);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: ThresholdsNotDelegatedDetail,
            extensions: new Dictionary<string, object?> { ["reason"] = AccessProblems.SectionNotDelegatedReason });
    }
}
