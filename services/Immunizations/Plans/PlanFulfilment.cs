using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Plans;

/// <summary>
/// Which plan item a recorded vaccination fulfils: an open item of the same patient against the same disease
/// (case-insensitive, as organizations spell it), due no later than <see cref="VaccinationPlan.DoneWindowDays"/>
/// days after the vaccination. One vaccination fulfils one item, so V1 does not also close V2 a month later:
/// the item of the same stage if there is one, else the one due soonest.
/// </summary>
public static class PlanFulfilment
{
    /// <summary>Marks (tracked, not saved) the item <paramref name="immunization"/> fulfils, if any.</summary>
    public static async Task<VaccinationPlan?> MarkFulfilledByAsync(ImmunizationsDb db, Immunization immunization,
        DateTimeOffset now, CancellationToken ct)
    {
        var latestDueOn = immunization.AdministeredOn.AddDays(VaccinationPlan.DoneWindowDays);
        // Disease is compared here rather than in SQL: lower() of a database with a C locale leaves Cyrillic alone.
        var candidates = (await db.VaccinationPlans
                .Where(p => p.PatientId == immunization.PatientId && p.DoneAt == null && p.CancelledAt == null
                            && p.DueOn <= latestDueOn)
                .OrderBy(p => p.DueOn).ThenBy(p => p.Id)
                .ToListAsync(ct))
            .Where(p => SameDisease(p.Disease, immunization.Disease))
            .ToList();
        var item = candidates.FirstOrDefault(p => p.Stage is not null && p.Stage == immunization.Stage)
                   ?? candidates.FirstOrDefault();
        item?.MarkDone(immunization.Id, now);
        return item;
    }

    /// <summary>
    /// For an item published (or moved) after the fact: marks it done (tracked, not saved) if a vaccination already
    /// recorded fulfils it and no other item claimed that vaccination.
    /// </summary>
    public static async Task<bool> MarkIfAlreadyDoneAsync(ImmunizationsDb db, VaccinationPlan plan,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!plan.IsOpen)
        {
            return false;
        }

        var earliest = plan.DueOn.AddDays(-VaccinationPlan.DoneWindowDays);
        var vaccinations = (await db.Immunizations.AsNoTracking()
                .Where(i => i.PatientId == plan.PatientId && i.AdministeredOn >= earliest)
                .Where(i => !db.VaccinationPlans.Any(p =>
                    p.PatientId == plan.PatientId && p.DoneByImmunizationId == i.Id && p.Id != plan.Id))
                .OrderBy(i => i.AdministeredOn).ThenBy(i => i.Id)
                .ToListAsync(ct))
            .Where(i => SameDisease(i.Disease, plan.Disease))
            .ToList();
        var vaccination = vaccinations.FirstOrDefault(i => plan.Stage is not null && i.Stage == plan.Stage)
                          ?? vaccinations.FirstOrDefault();
        if (vaccination is null)
        {
            return false;
        }

        plan.MarkDone(vaccination.Id, now);
        return true;
    }

    public static bool SameDisease(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
