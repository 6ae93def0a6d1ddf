using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Api;

/// <summary>A prescription's card (for the patient and for a pharmacy that may read it).</summary>
public static class PrescriptionCards
{
    public static async Task<PrescriptionCardResponse> ReadAsync(PrescriptionsDb db, PatientDataKeys<PrescriptionsDb> keys,
        Prescription prescription, DateTimeOffset now, CancellationToken ct)
    {
        var pharmacy = prescription.PharmacyId is { } pharmacyId
            ? await db.Pharmacies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pharmacyId, ct)
            : null;
        var dispenses = await db.Dispenses.AsNoTracking().Where(d => d.PrescriptionId == prescription.Id)
            .OrderBy(d => d.DispensedAt).ThenBy(d => d.Id).ToListAsync(ct);
        var cipher = await keys.ForReadingAsync(prescription.PatientId, ct);
        return new PrescriptionCardResponse(PrescriptionResponse.From(prescription, cipher, MoscowTime.DateOf(now)),
            pharmacy is null ? null : PharmacyDto.From(pharmacy), dispenses.Select(DispenseDto.From).ToList());
    }
}
