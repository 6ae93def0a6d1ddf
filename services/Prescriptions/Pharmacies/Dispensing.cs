using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Pharmacies;

public abstract record DispenseOutcome
{
    public sealed record Dispensed(MedicationDispense Dispense) : DispenseOutcome;

    /// <summary>Nothing (or not that much) left to dispense, cancelled, expired: nothing changed.</summary>
    public sealed record NotDispensable(string Detail) : DispenseOutcome;
}

/// <summary>
/// Dispensing (part of) a prescription's quantity. The remaining quantity is taken by one conditional UPDATE, so that of
/// pharmacies racing for the last units exactly as many succeed as there are units: the row's lock orders them and each
/// re-checks the condition on the row the previous one committed.
/// </summary>
public static class Dispensing
{
    public const string DispensePurpose = "отпуск лекарства по рецепту";
    public const string ReservePurpose = "резервирование лекарства по рецепту";

    public static async Task<DispenseOutcome> DispenseAsync(PrescriptionsDb db, HttpContext http, Prescription prescription,
        Pharmacy pharmacy, decimal quantity, DateTimeOffset now, CancellationToken ct)
    {
        var today = MoscowTime.DateOf(now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var taken = await db.Prescriptions
            .Where(p => p.Id == prescription.Id && p.Status == PrescriptionStatuses.Active && p.ValidFrom <= today && p.ValidUntil >= today
                        && p.DispensedQuantity + quantity <= p.Quantity
                        && (p.ReservedByPharmacyId == null || p.ReservedByPharmacyId == pharmacy.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.DispensedQuantity, p => p.DispensedQuantity + quantity)
                .SetProperty(p => p.Status, p => p.DispensedQuantity + quantity == p.Quantity ? PrescriptionStatuses.Completed : p.Status)
                .SetProperty(p => p.ReservedByPharmacyId, p => p.DispensedQuantity + quantity == p.Quantity ? null : p.ReservedByPharmacyId)
                .SetProperty(p => p.UpdatedAt, now), ct);
        if (taken == 0)
        {
            await transaction.RollbackAsync(ct);
            var current = await db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == prescription.Id, ct);
            return new DispenseOutcome.NotDispensable(current.ReservedByPharmacyId is { } other && other != pharmacy.Id && current.IsDispensable(today)
                ? "Лекарство по рецепту отложено в другой аптеке."
                : current.IsDispensable(today)
                    ? $"По рецепту осталось {current.RemainingQuantity}; столько отпустить нельзя."
                    : PharmacySendingRules.NotDispensableDetail(current, now));
        }

        var after = await db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == prescription.Id, ct);
        var dispense = new MedicationDispense
        {
            PrescriptionId = prescription.Id, PatientId = prescription.PatientId, PharmacyId = pharmacy.Id, Quantity = quantity,
            DispensedAt = now,
        };
        db.Dispenses.Add(dispense);
        db.AddOutboxEvent(new PrescriptionStatusChanged(prescription.Id, prescription.PatientId,
            after.RemainingQuantity == 0 ? PrescriptionChanges.Dispensed : PrescriptionChanges.PartlyDispensed, after.Status,
            pharmacy.Name, quantity, after.RemainingQuantity, now));
        db.AddAccessEvent(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Change, DispensePurpose, prescription.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new DispenseOutcome.Dispensed(dispense);
    }

    /// <summary>The pharmacy puts the medicine aside for the patient; the prescription stays dispensable only there.</summary>
    public static async Task<string?> ReserveAsync(PrescriptionsDb db, HttpContext http, Prescription prescription, Pharmacy pharmacy,
        DateTimeOffset now, CancellationToken ct)
    {
        var today = MoscowTime.DateOf(now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var reserved = await db.Prescriptions
            .Where(p => p.Id == prescription.Id && p.Status == PrescriptionStatuses.Active && p.ValidFrom <= today && p.ValidUntil >= today
                        && p.DispensedQuantity < p.Quantity && p.ReservedByPharmacyId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ReservedByPharmacyId, pharmacy.Id).SetProperty(p => p.ReservedAt, now)
                .SetProperty(p => p.UpdatedAt, now), ct);
        if (reserved == 0)
        {
            await transaction.RollbackAsync(ct);
            var current = await db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == prescription.Id, ct);
            if (current.ReservedByPharmacyId == pharmacy.Id && current.IsDispensable(today)) return null;
            return current.IsDispensable(today) ? "Лекарство по рецепту уже отложено в другой аптеке." : PharmacySendingRules.NotDispensableDetail(current, now);
        }
        db.AddOutboxEvent(new PrescriptionStatusChanged(prescription.Id, prescription.PatientId, PrescriptionChanges.Reserved,
            PrescriptionStatuses.Active, pharmacy.Name, null, prescription.RemainingQuantity, now));
        db.AddAccessEvent(http, prescription.PatientId, RecordSections.Prescriptions, AccessActions.Change, ReservePurpose, prescription.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }
}
