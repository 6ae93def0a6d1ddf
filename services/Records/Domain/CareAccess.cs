using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// Whether a doctor of an organization may read a patient's record, and which of it: the organization must have the
/// patient in its care (an attachment or an appointment, <see cref="CareRelationships.IsInCareAsync"/>), and the patient's
/// restrictions (identity's consents, <see cref="PatientAccessRestriction"/>) take sections, or the whole record, away.
/// </summary>
public static class CareAccess
{
    /// <summary>The patient's restrictions in force that concern the organization.</summary>
    public static async Task<ClosedSections> ClosedSectionsAsync(RecordsDb db, Guid patientId, Guid organizationId,
        CancellationToken ct = default)
    {
        // The same rules as PatientAccessRestrictions.IsRestrictedAsync, read in one query for every section at once.
        var restrictions = await db.Set<PatientAccessRestriction>().AsNoTracking()
            .Where(r => r.PatientId == patientId && r.Active
                && ((r.Kind == PatientAccessRestriction.OrganizationKind && r.OrganizationId == organizationId)
                    || (r.Kind == PatientAccessRestriction.SectionKind && r.Section != null)))
            .Select(r => new { r.Kind, r.Section })
            .ToListAsync(ct);

        var wholeRecord = restrictions.Any(r => r.Kind == PatientAccessRestriction.OrganizationKind && r.Section is null);
        var toOrganization = restrictions
            .Where(r => r.Kind == PatientAccessRestriction.OrganizationKind && r.Section is not null)
            .Select(r => r.Section!).ToHashSet(StringComparer.Ordinal);
        var exceptToAuthor = restrictions
            .Where(r => r.Kind == PatientAccessRestriction.SectionKind)
            .Select(r => r.Section!).ToHashSet(StringComparer.Ordinal);
        return new ClosedSections(organizationId, wholeRecord, toOrganization, exceptToAuthor);
    }
}

/// <summary>What of a patient's record is closed to one organization.</summary>
/// <param name="OrganizationId">The organization whose doctors read.</param>
/// <param name="WholeRecord">The patient refused the organization the whole record.</param>
/// <param name="ToOrganization">Sections refused to this organization, even in data it wrote itself.</param>
/// <param name="ExceptToAuthor">Sections hidden from every organization but the one that wrote the data.</param>
public sealed record ClosedSections(
    Guid OrganizationId,
    bool WholeRecord,
    IReadOnlySet<string> ToOrganization,
    IReadOnlySet<string> ExceptToAuthor)
{
    /// <summary>What the organization's doctors may see, for <c>RecordReads</c>: filter and per-item test in one.</summary>
    public RecordVisibility Visibility { get; } = WholeRecord
        ? RecordVisibility.Nothing
        : RecordVisibility.ForOrganization(OrganizationId, ToOrganization, ToOrganization.Union(ExceptToAuthor).ToHashSet(StringComparer.Ordinal));
}
