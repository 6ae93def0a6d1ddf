using System.Globalization;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.ReferenceData;

/// <summary>The catalog patients choose from: specialties, organizations with their departments and doctors.</summary>
public sealed class ReferenceCatalog(AppointmentsDb db)
{
    public const int SearchLimit = 50;

    /// <summary>In the order a Russian reader looks for them: alphabetical by name.</summary>
    public static readonly SpecialtyListResponse SpecialtyList = new(Specialties.Names
        .Select(s => new SpecialtyResponse(s.Key, s.Value))
        .OrderBy(s => s.Name, StringComparer.Create(CultureInfo.GetCultureInfo("ru-RU"), false))
        .ToList());

    /// <summary>By name, the first <see cref="SearchLimit"/> whose name or address contains <paramref name="text"/>.</summary>
    public async Task<List<OrganizationResponse>> SearchOrganizationsAsync(string? text, CancellationToken ct)
    {
        var query = db.Organizations.AsNoTracking();
        if (!string.IsNullOrEmpty(text))
        {
            var pattern = "%" + EscapeLike(text) + "%";
            query = query.Where(o => EF.Functions.ILike(o.Name, pattern, "\\") || EF.Functions.ILike(o.Address, pattern, "\\"));
        }

        var items = await query.OrderBy(o => o.Name).ThenBy(o => o.Id).Take(SearchLimit).ToListAsync(ct);
        return items.Select(OrganizationResponse.From).ToList();
    }

    /// <returns>Null when there is no such organization.</returns>
    public async Task<OrganizationDetailsResponse?> GetOrganizationAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return null;
        }

        var departments = await db.Departments.AsNoTracking().Where(d => d.OrganizationId == id)
            .OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new CatalogDepartment(d.Id, d.Name, d.Address, d.Phone))
            .ToListAsync(ct);
        // Withdrawn doctors take no new appointments, so patients do not choose them.
        var doctors = await db.Doctors.AsNoTracking().Where(d => d.OrganizationId == id && d.Active)
            .OrderBy(d => d.FamilyName).ThenBy(d => d.GivenName).ThenBy(d => d.Id)
            .ToListAsync(ct);

        return new OrganizationDetailsResponse(organization.Id, organization.Name, organization.Kind,
            organization.Address, organization.Phone, organization.Email, organization.Website, departments,
            doctors.Select(d => new CatalogDoctor(d.Id, d.FullName, d.SpecialtyCode, Specialties.NameOf(d.SpecialtyCode),
                d.DepartmentId)).ToList());
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
