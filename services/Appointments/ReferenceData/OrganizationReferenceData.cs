using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Microsoft.EntityFrameworkCore;
using static Gosuslugi.Health.Appointments.ReferenceData.ReferenceDataFields;

namespace Gosuslugi.Health.Appointments.ReferenceData;

public enum ReferenceDataOutcome
{
    Saved,

    /// <summary>See <see cref="ReferenceDataResult{T}.Errors"/>, by field.</summary>
    Invalid,

    /// <summary>The organization has not published its profile yet.</summary>
    ProfileMissing,
    DoctorNotFound,

    /// <summary>The doctor is withdrawn from the organization's schedule.</summary>
    DoctorInactive,
}

public sealed record ReferenceDataResult<T>(ReferenceDataOutcome Outcome, T? Value = null,
    Dictionary<string, string[]>? Errors = null) where T : class
{
    public static ReferenceDataResult<T> Invalid(Dictionary<string, string[]> errors) => new(ReferenceDataOutcome.Invalid, Errors: errors);

    /// <summary>The route's external id is no id: nothing else is looked at.</summary>
    public static ReferenceDataResult<T>? InvalidExternalId(string externalId) =>
        ExternalIdError(externalId) is { } error ? Invalid(new() { ["externalId"] = [error] }) : null;
}

/// <summary>
/// What a medical organization publishes about itself: its profile, departments and doctors, each put by the
/// organization's own ids, so that sending the same again changes nothing.
/// </summary>
public sealed class OrganizationReferenceData(AppointmentsDb db, TimeProvider time, ILogger<OrganizationReferenceData> logger)
{
    public async Task<ReferenceDataResult<OrganizationResponse>> PutProfileAsync(Guid organizationId,
        OrganizationProfileRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Required(request.Name, "name", 300, "Укажите название организации.", errors);
        if (request.Kind is null || !OrganizationKinds.All.Contains(request.Kind))
        {
            errors["kind"] = ["Тип организации: polyclinic (поликлиника) или hospital (стационар)."];
        }

        var address = Required(request.Address, "address", 500, "Укажите адрес организации.", errors);
        var phone = Required(request.Phone, "phone", 50, "Укажите телефон организации.", errors);
        var email = Optional(request.Email, "email", 254, errors);
        if (email is not null && !IsEmail(email))
        {
            errors["email"] = ["Адрес электронной почты указан неверно."];
        }

        var website = Optional(request.Website, "website", 300, errors);
        if (website is not null && !Uri.TryCreate(website, UriKind.Absolute, out _))
        {
            errors["website"] = ["Укажите адрес сайта полностью, например https://gp1.mos.ru."];
        }

        if (errors.Count > 0)
        {
            return ReferenceDataResult<OrganizationResponse>.Invalid(errors);
        }

        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
            if (organization is null)
            {
                organization = new Organization
                {
                    Id = organizationId, Name = name!, Kind = request.Kind!, Address = address!, Phone = phone!,
                };
                db.Organizations.Add(organization);
            }

            organization.Name = name!;
            organization.Kind = request.Kind!;
            organization.Address = address!;
            organization.Phone = phone!;
            organization.Email = email;
            organization.Website = website;
            organization.UpdatedAt = now;

            if (await db.TrySaveUpsertAsync(attempt, ct))
            {
                logger.LogInformation("Organization {OrganizationId} published its profile", organizationId);
                return new(ReferenceDataOutcome.Saved, OrganizationResponse.From(organization));
            }
        }
    }

    public async Task<ReferenceDataResult<DepartmentResponse>> PutDepartmentAsync(Guid organizationId, string externalId,
        DepartmentRequest request, CancellationToken ct)
    {
        if (ReferenceDataResult<DepartmentResponse>.InvalidExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var errors = new Dictionary<string, string[]>();
        var name = Required(request.Name, "name", 300, "Укажите название отделения.", errors);
        var address = Optional(request.Address, "address", 500, errors);
        var phone = Optional(request.Phone, "phone", 50, errors);
        if (errors.Count > 0)
        {
            return ReferenceDataResult<DepartmentResponse>.Invalid(errors);
        }

        if (!await HasProfileAsync(organizationId, ct))
        {
            return new(ReferenceDataOutcome.ProfileMissing);
        }

        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var department = await db.Departments
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
            if (department is null)
            {
                department = new Department
                {
                    Id = Guid.CreateVersion7(), OrganizationId = organizationId, ExternalId = externalId, Name = name!,
                };
                db.Departments.Add(department);
            }

            department.Name = name!;
            department.Address = address;
            department.Phone = phone;
            department.UpdatedAt = now;

            if (await db.TrySaveUpsertAsync(attempt, ct))
            {
                return new(ReferenceDataOutcome.Saved, DepartmentResponse.From(department));
            }
        }
    }

    public async Task<ReferenceDataResult<DoctorResponse>> PutDoctorAsync(Guid organizationId, string externalId,
        DoctorRequest request, CancellationToken ct)
    {
        if (ReferenceDataResult<DoctorResponse>.InvalidExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var errors = new Dictionary<string, string[]>();
        var familyName = Required(request.FamilyName, "familyName", 100, "Укажите фамилию врача.", errors);
        var givenName = Required(request.GivenName, "givenName", 100, "Укажите имя врача.", errors);
        var middleName = Optional(request.MiddleName, "middleName", 100, errors);
        if (request.Specialty is null || !Specialties.Names.ContainsKey(request.Specialty))
        {
            errors["specialty"] = ["Укажите код специальности из справочника (GET /api/v1/appointments/specialties), например therapist."];
        }

        var departmentExternalId = Optional(request.DepartmentExternalId, "departmentExternalId", ExternalIdLength, errors);
        if (request.AccountId == Guid.Empty)
        {
            errors["accountId"] = ["Идентификатор учётной записи врача указан неверно."];
        }

        Department? department = null;
        if (departmentExternalId is not null && !errors.ContainsKey("departmentExternalId"))
        {
            department = await db.Departments.AsNoTracking()
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == departmentExternalId, ct);
            if (department is null)
            {
                errors["departmentExternalId"] = ["Отделение с таким идентификатором не найдено: сначала передайте отделение."];
            }
        }

        if (errors.Count > 0)
        {
            return ReferenceDataResult<DoctorResponse>.Invalid(errors);
        }

        if (!await HasProfileAsync(organizationId, ct))
        {
            return new(ReferenceDataOutcome.ProfileMissing);
        }

        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var doctor = await db.Doctors
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
            var isNew = doctor is null;
            doctor ??= db.Doctors.Add(new Doctor
            {
                Id = Guid.CreateVersion7(), OrganizationId = organizationId, ExternalId = externalId,
                FamilyName = familyName!, GivenName = givenName!, SpecialtyCode = request.Specialty!,
            }).Entity;

            var searchChanged = !isNew && (doctor.SpecialtyCode != request.Specialty || doctor.DepartmentId != department?.Id);
            doctor.FamilyName = familyName!;
            doctor.GivenName = givenName!;
            doctor.MiddleName = middleName;
            doctor.SpecialtyCode = request.Specialty!;
            doctor.DepartmentId = department?.Id;
            doctor.AccountId = request.AccountId;
            // Omitted means unchanged, so that a resend without the flag does not bring back a withdrawn doctor.
            doctor.Active = request.Active ?? (isNew || doctor.Active);
            doctor.UpdatedAt = now;

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (searchChanged)
            {
                // Slots carry the doctor's specialty and department so that a search reads one table: the future ones
                // follow the doctor; past ones stay as they were.
                var specialty = doctor.SpecialtyCode;
                var departmentId = doctor.DepartmentId;
                await db.Slots.Where(s => s.DoctorId == doctor.Id && s.StartsAt > now)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.SpecialtyCode, specialty)
                        .SetProperty(x => x.DepartmentId, departmentId), ct);
            }

            if (await db.TrySaveUpsertAsync(attempt, ct))
            {
                await transaction.CommitAsync(ct);
                return new(ReferenceDataOutcome.Saved, DoctorResponse.From(doctor, department?.ExternalId));
            }
        }
    }

    /// <summary>Departments and doctors come after the profile: without it patients would not see them.</summary>
    private Task<bool> HasProfileAsync(Guid organizationId, CancellationToken ct) =>
        db.Organizations.AnyAsync(o => o.Id == organizationId, ct);
}
