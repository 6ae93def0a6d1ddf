using Gosuslugi.Health.Appointments.Domain;

namespace Gosuslugi.Health.Appointments.ReferenceData;

public sealed record OrganizationResponse(Guid Id, string Name, string Kind, string Address, string Phone, string? Email,
    string? Website, DateTimeOffset UpdatedAt)
{
    public static OrganizationResponse From(Organization o) =>
        new(o.Id, o.Name, o.Kind, o.Address, o.Phone, o.Email, o.Website, o.UpdatedAt);
}

public sealed record DepartmentResponse(Guid Id, string ExternalId, string Name, string? Address, string? Phone,
    DateTimeOffset UpdatedAt)
{
    public static DepartmentResponse From(Department d) => new(d.Id, d.ExternalId, d.Name, d.Address, d.Phone, d.UpdatedAt);
}

public sealed record DoctorResponse(Guid Id, string ExternalId, string Name, string FamilyName, string GivenName,
    string? MiddleName, string Specialty, string SpecialtyName, Guid? DepartmentId, string? DepartmentExternalId,
    Guid? AccountId, bool Active, DateTimeOffset UpdatedAt)
{
    public static DoctorResponse From(Doctor d, string? departmentExternalId) =>
        new(d.Id, d.ExternalId, d.FullName, d.FamilyName, d.GivenName, d.MiddleName, d.SpecialtyCode,
            Specialties.NameOf(d.SpecialtyCode), d.DepartmentId, departmentExternalId, d.AccountId, d.Active, d.UpdatedAt);
}

/// <param name="Created">Slots made by this request.</param>
/// <param name="Existing">Slots of the schedule the doctor already had (or whose time an existing slot covers): not made again.</param>
public sealed record ScheduleResponse(int Created, int Existing);

public sealed record SpecialtyResponse(string Code, string Name);

public sealed record SpecialtyListResponse(IReadOnlyList<SpecialtyResponse> Items);

public sealed record OrganizationListResponse(IReadOnlyList<OrganizationResponse> Items);

public sealed record CatalogDepartment(Guid Id, string Name, string? Address, string? Phone);

public sealed record CatalogDoctor(Guid Id, string Name, string Specialty, string SpecialtyName, Guid? DepartmentId);

public sealed record OrganizationDetailsResponse(Guid Id, string Name, string Kind, string Address, string Phone, string? Email,
    string? Website, IReadOnlyList<CatalogDepartment> Departments, IReadOnlyList<CatalogDoctor> Doctors);
