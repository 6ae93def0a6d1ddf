using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Prescriptions.Pharmacies;

/// <summary>The patient sends a prescription to a pharmacy of the directory: it joins that pharmacy's queue.</summary>
public static class PharmacySendingRules
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string SendPurpose = "отправка рецепта в аптеку";

    /// <returns>The problem to answer, or null when the prescription is (now, or already under this key) at the pharmacy.</returns>
    public static async Task<ProblemHttpResult?> SendAsync(PrescriptionsDb db, HttpContext http, Prescription found, Guid pharmacyId,
        string? idempotencyKey, DateTimeOffset now, CancellationToken ct)
    {
        if (idempotencyKey is not null)
        {
            var earlier = await db.Sendings.AsNoTracking()
                .SingleOrDefaultAsync(s => s.PatientId == found.PatientId && s.IdempotencyKey == idempotencyKey, ct);
            if (earlier is not null)
            {
                return earlier.PrescriptionId == found.Id && earlier.PharmacyId == pharmacyId
                    ? null
                    : Problem(StatusCodes.Status422UnprocessableEntity, "Этот ключ идемпотентности уже использован для другого запроса.",
                        "idempotency_key_reused");
            }
        }
        var pharmacy = await db.Pharmacies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pharmacyId, ct);
        if (pharmacy is null)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Такой аптеки нет в справочнике.", "pharmacy_not_found");
        }
        if (found.Preferential && !pharmacy.ServesPreferential)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Эта аптека не отпускает лекарства по льготным рецептам.",
                "pharmacy_not_preferential");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var prescription = await db.Prescriptions
            .FromSql($"SELECT * FROM prescriptions WHERE id = {found.Id} FOR UPDATE")
            .AsTracking().SingleAsync(ct);
        if (!prescription.IsDispensable(MoscowTime.DateOf(now)))
        {
            return Problem(StatusCodes.Status409Conflict, NotDispensableDetail(prescription, now), "not_dispensable");
        }
        if (prescription.ReservedByPharmacyId is not null && prescription.ReservedByPharmacyId != pharmacyId)
        {
            return Problem(StatusCodes.Status409Conflict, "Лекарство по рецепту уже отложено в другой аптеке.", "reserved_elsewhere");
        }
        if (prescription.PharmacyId != pharmacyId)
        {
            prescription.PharmacyId = pharmacyId;
            prescription.SentAt = now;
            db.AddOutboxEvent(new PrescriptionStatusChanged(prescription.Id, prescription.PatientId, PrescriptionChanges.SentToPharmacy,
                prescription.Status, pharmacy.Name, null, prescription.RemainingQuantity, now));
        }
        db.Sendings.Add(new PharmacySending
        {
            PrescriptionId = prescription.Id, PatientId = prescription.PatientId, PharmacyId = pharmacyId,
            IdempotencyKey = idempotencyKey, SentAt = now,
        });
        db.AddAccessEvent(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Change, SendPurpose, prescription.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry under the same key was first: its answer stands.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return null;
        }
        await transaction.CommitAsync(ct);
        return null;
    }

    public static string NotDispensableDetail(Prescription prescription, DateTimeOffset now) =>
        (prescription.Status, prescription.ValidUntil < MoscowTime.DateOf(now), prescription.ValidFrom > MoscowTime.DateOf(now)) switch
        {
            (PrescriptionStatuses.Cancelled, _, _) => "Рецепт отменён.",
            (PrescriptionStatuses.Completed, _, _) => "Лекарство по рецепту уже отпущено полностью.",
            (PrescriptionStatuses.Expired, _, _) or (_, true, _) => "Срок действия рецепта истёк.",
            (_, _, true) => "Срок действия рецепта ещё не начался.",
            _ => "Лекарство по рецепту уже отпущено полностью.",
        };

    public static ProblemHttpResult Problem(int status, string detail, string reason) =>
        TypedResults.Problem(statusCode: status, title: status == StatusCodes.Status409Conflict ? "Действие невозможно" : "Данные не приняты",
            detail: detail, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
