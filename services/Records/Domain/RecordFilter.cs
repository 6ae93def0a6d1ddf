using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// A selection of a patient's history: the same filter serves the history page, the CSV and the PDF export.
/// Dates are calendar days in Moscow time, both ends included.
/// </summary>
public sealed record RecordFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    IReadOnlyList<string>? Kinds = null,
    Guid? OrganizationId = null,
    string? DoctorId = null)
{
    /// <summary>The patient's current items that match, not yet ordered.</summary>
    public IQueryable<RecordItem> Apply(IQueryable<RecordItem> items, Guid patientId)
    {
        items = items.Where(i => i.PatientId == patientId && i.IsCurrent);
        if (From is { } from)
        {
            var start = MoscowTime.DayBounds(from).From;
            items = items.Where(i => i.EffectiveAt >= start);
        }
        if (To is { } to)
        {
            var end = MoscowTime.DayBounds(to).To;
            items = items.Where(i => i.EffectiveAt < end);
        }
        if (Kinds is { Count: > 0 } kinds)
        {
            items = items.Where(i => kinds.Contains(i.Kind));
        }
        if (OrganizationId is { } organizationId)
        {
            items = items.Where(i => i.OrganizationId == organizationId);
        }
        if (!string.IsNullOrEmpty(DoctorId))
        {
            items = items.Where(i => i.DoctorId == DoctorId);
        }
        return items;
    }
}
