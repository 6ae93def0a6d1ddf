using System.Security.Claims;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record ReferenceDataServices(AppointmentsDb Db, TimeProvider Time, ILogger<ReferenceDataServices> Logger);

public sealed record OrganizationProfileRequest(string? Name, string? Kind, string? Address, string? Phone, string? Email,
    string? Website) : IJsonRequest<OrganizationProfileRequest>;

public sealed record DepartmentRequest(string? Name, string? Address, string? Phone) : IJsonRequest<DepartmentRequest>;

public sealed record DoctorRequest(string? FamilyName, string? GivenName, string? MiddleName, string? Specialty,
    string? DepartmentExternalId, Guid? AccountId, bool? Active) : IJsonRequest<DoctorRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<DoctorRequest>.FormatMessages => OrganizationReferenceApi.DoctorFormatMessages;
}

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

/// <summary>
/// Reference data: what a medical organization publishes about itself (profile, departments, doctors, schedules) and
/// the catalog patients choose from (specialties, organizations with their departments and doctors).
/// </summary>
public static class OrganizationReferenceApi
{
    public const string OrganizationRoute = "/api/v1/appointments/org";
    public const string CatalogRoute = "/api/v1/appointments";

    public const int ExternalIdLength = 128;
    public const int SearchLimit = 50;

    /// <summary>What a medical organization publishes: its profile, departments, doctors and their schedules.</summary>
    public static RouteGroupBuilder MapOrganizationReferenceApi(this IEndpointRouteBuilder app)
    {
        var org = app.MapGroup(OrganizationRoute).WithTags("Organization reference data")
            .RequireAuthorization(Policies.MedicalOrganization);
        org.MapPut("/profile", PutOrganizationProfile).Accepts<OrganizationProfileRequest>("application/json")
            .WithName(nameof(PutOrganizationProfile));
        org.MapPut("/departments/{externalId}", PutDepartment).Accepts<DepartmentRequest>("application/json")
            .WithName(nameof(PutDepartment));
        org.MapPut("/doctors/{externalId}", PutDoctor).Accepts<DoctorRequest>("application/json").WithName(nameof(PutDoctor));
        org.MapPost("/doctors/{externalId}/schedule", PostDoctorSchedule).Accepts<ScheduleRequest>("application/json")
            .WithName(nameof(PostDoctorSchedule));
        return org;
    }

    /// <summary>What anyone signed in may read: no patient's data, so no access events.</summary>
    public static RouteGroupBuilder MapReferenceCatalogApi(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup(CatalogRoute).WithTags("Reference data").RequireAuthorization();
        catalog.MapGet("/specialties", ListSpecialties).WithName(nameof(ListSpecialties));
        catalog.MapGet("/organizations", SearchOrganizations).WithName(nameof(SearchOrganizations));
        catalog.MapGet("/organizations/{id:guid}", GetOrganization).WithName(nameof(GetOrganization));
        return catalog;
    }

    // ---- Organization side ----

    public static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> PutOrganizationProfile(
        HttpContext http, Json<OrganizationProfileRequest> body, ClaimsPrincipal user, [AsParameters] ReferenceDataServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var request = body.Value;

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
            return Problems.Validation(errors);
        }

        var now = services.Time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var organization = await services.Db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
            if (organization is null)
            {
                organization = new Organization
                {
                    Id = organizationId, Name = name!, Kind = request.Kind!, Address = address!, Phone = phone!,
                };
                services.Db.Organizations.Add(organization);
            }

            organization.Name = name!;
            organization.Kind = request.Kind!;
            organization.Address = address!;
            organization.Phone = phone!;
            organization.Email = email;
            organization.Website = website;
            organization.UpdatedAt = now;

            if (await TrySaveAsync(services.Db, attempt, ct))
            {
                services.Logger.LogInformation("Organization {OrganizationId} published its profile", organizationId);
                return TypedResults.Ok(OrganizationResponse.From(organization));
            }
        }
    }

    public static async Task<Results<Ok<DepartmentResponse>, ValidationProblem, ProblemHttpResult>> PutDepartment(
        string externalId, HttpContext http, Json<DepartmentRequest> body, ClaimsPrincipal user, [AsParameters] ReferenceDataServices services,
        CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        if (ValidateExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var request = body.Value;

        var errors = new Dictionary<string, string[]>();
        var name = Required(request.Name, "name", 300, "Укажите название отделения.", errors);
        var address = Optional(request.Address, "address", 500, errors);
        var phone = Optional(request.Phone, "phone", 50, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await ProfileMissingAsync(services.Db, organizationId, ct) is { } missing)
        {
            return missing;
        }

        var now = services.Time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var department = await services.Db.Departments
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
            if (department is null)
            {
                department = new Department
                {
                    Id = Guid.CreateVersion7(), OrganizationId = organizationId, ExternalId = externalId, Name = name!,
                };
                services.Db.Departments.Add(department);
            }

            department.Name = name!;
            department.Address = address;
            department.Phone = phone;
            department.UpdatedAt = now;

            if (await TrySaveAsync(services.Db, attempt, ct))
            {
                return TypedResults.Ok(DepartmentResponse.From(department));
            }
        }
    }

    public static async Task<Results<Ok<DoctorResponse>, ValidationProblem, ProblemHttpResult>> PutDoctor(
        string externalId, HttpContext http, Json<DoctorRequest> body, ClaimsPrincipal user, [AsParameters] ReferenceDataServices services,
        CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        if (ValidateExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var request = body.Value;

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
            department = await services.Db.Departments.AsNoTracking()
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == departmentExternalId, ct);
            if (department is null)
            {
                errors["departmentExternalId"] = ["Отделение с таким идентификатором не найдено: сначала передайте отделение."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await ProfileMissingAsync(services.Db, organizationId, ct) is { } missing)
        {
            return missing;
        }

        var now = services.Time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var doctor = await services.Db.Doctors
                .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
            var isNew = doctor is null;
            doctor ??= services.Db.Doctors.Add(new Doctor
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

            await using var transaction = await services.Db.Database.BeginTransactionAsync(ct);
            if (searchChanged)
            {
                // Slots carry the doctor's specialty and department so that a search reads one table: the future ones
                // follow the doctor; past ones stay as they were.
                var specialty = doctor.SpecialtyCode;
                var departmentId = doctor.DepartmentId;
                await services.Db.Slots.Where(s => s.DoctorId == doctor.Id && s.StartsAt > now)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.SpecialtyCode, specialty)
                        .SetProperty(x => x.DepartmentId, departmentId), ct);
            }

            if (await TrySaveAsync(services.Db, attempt, ct))
            {
                await transaction.CommitAsync(ct);
                return TypedResults.Ok(DoctorResponse.From(doctor, department?.ExternalId));
            }
        }
    }

    public static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> PostDoctorSchedule(
        string externalId, HttpContext http, Json<ScheduleRequest> body, ClaimsPrincipal user, [AsParameters] ReferenceDataServices services,
        CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        if (ValidateExternalId(externalId) is { } badId)
        {
            return badId;
        }

        var request = body.Value;

        var errors = ScheduleRequestValidator.Validate(request, out var schedule);
        if (schedule is null)
        {
            return Problems.Validation(errors);
        }

        var doctor = await services.Db.Doctors.AsNoTracking()
            .SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.ExternalId == externalId, ct);
        if (doctor is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Врач не найден",
                detail: "Врач с таким идентификатором не найден: сначала передайте сведения о враче.");
        }

        if (!doctor.Active)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Расписание не принято",
                detail: "Врач выведен из расписания организации: новые слоты для него не создаются.",
                extensions: new Dictionary<string, object?> { ["reason"] = "doctor_inactive" });
        }

        var now = services.Time.GetUtcNow();
        var telemedicine = request.Telemedicine ?? false;
        // A video consultation happens in no room.
        var room = telemedicine || string.IsNullOrWhiteSpace(request.Room) ? null : request.Room.Trim();
        // Past times cannot be booked: they are neither made nor counted.
        var wanted = schedule.Slots().Where(s => s.StartsAt > now).ToList();
        if (wanted.Count == 0)
        {
            return TypedResults.Ok(new ScheduleResponse(0, 0));
        }

        for (var attempt = 0; ; attempt++)
        {
            var rangeFrom = wanted[0].StartsAt;
            var rangeTo = wanted[^1].EndsAt;
            // Served by the unique (DoctorId, StartsAt) index.
            var existing = await services.Db.Slots.AsNoTracking()
                .Where(s => s.DoctorId == doctor.Id && s.StartsAt < rangeTo && s.StartsAt >= rangeFrom.AddMinutes(-SlotSchedule.MaxSlotMinutes))
                .Select(s => new { s.StartsAt, s.EndsAt })
                .ToListAsync(ct);

            var created = 0;
            foreach (var (startsAt, endsAt) in wanted)
            {
                // A slot the doctor already has, or one that would overlap another of theirs (an earlier schedule with
                // another slot length), is not made.
                if (existing.Any(e => e.StartsAt < endsAt && startsAt < e.EndsAt))
                {
                    continue;
                }

                services.Db.Slots.Add(new Slot
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = organizationId,
                    DoctorId = doctor.Id,
                    DepartmentId = doctor.DepartmentId,
                    SpecialtyCode = doctor.SpecialtyCode,
                    StartsAt = startsAt,
                    EndsAt = endsAt,
                    Telemedicine = telemedicine,
                    Room = room,
                    CreatedAt = now,
                });
                created++;
            }

            if (await TrySaveAsync(services.Db, attempt, ct))
            {
                services.Logger.LogInformation("Schedule of doctor {DoctorId}: {Created} slots created, {Existing} existed",
                    doctor.Id, created, wanted.Count - created);
                return TypedResults.Ok(new ScheduleResponse(created, wanted.Count - created));
            }
        }
    }

    // ---- Patient side (the catalog) ----

    public static Ok<SpecialtyListResponse> ListSpecialties() => TypedResults.Ok(SpecialtyList);

    /// <summary>In the order a Russian reader looks for them: alphabetical by name.</summary>
    private static readonly SpecialtyListResponse SpecialtyList = new(Specialties.Names
        .Select(s => new SpecialtyResponse(s.Key, s.Value))
        .OrderBy(s => s.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("ru-RU"), false))
        .ToList());

    public static async Task<Results<Ok<OrganizationListResponse>, ValidationProblem>> SearchOrganizations(
        string? q, AppointmentsDb db, CancellationToken ct)
    {
        var query = db.Organizations.AsNoTracking();
        var text = q?.Trim();
        if (text is { Length: > 200 })
        {
            return Problems.Validation("q", "Строка поиска — не длиннее 200 символов.");
        }

        if (!string.IsNullOrEmpty(text))
        {
            var pattern = "%" + EscapeLike(text) + "%";
            query = query.Where(o => EF.Functions.ILike(o.Name, pattern, "\\") || EF.Functions.ILike(o.Address, pattern, "\\"));
        }

        var items = await query.OrderBy(o => o.Name).ThenBy(o => o.Id).Take(SearchLimit).ToListAsync(ct);
        return TypedResults.Ok(new OrganizationListResponse(items.Select(OrganizationResponse.From).ToList()));
    }

    public static async Task<Results<Ok<OrganizationDetailsResponse>, NotFound>> GetOrganization(
        Guid id, AppointmentsDb db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }

        var departments = await db.Departments.AsNoTracking().Where(d => d.OrganizationId == id)
            .OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new CatalogDepartment(d.Id, d.Name, d.Address, d.Phone))
            .ToListAsync(ct);
        // Withdrawn doctors take no new appointments, so patients do not choose them.
        var doctors = await db.Doctors.AsNoTracking().Where(d => d.OrganizationId == id && d.Active)
            .OrderBy(d => d.FamilyName).ThenBy(d => d.GivenName).ThenBy(d => d.Id)
            .ToListAsync(ct);

        return TypedResults.Ok(new OrganizationDetailsResponse(organization.Id, organization.Name, organization.Kind,
            organization.Address, organization.Phone, organization.Email, organization.Website, departments,
            doctors.Select(d => new CatalogDoctor(d.Id, d.FullName, d.SpecialtyCode, Specialties.NameOf(d.SpecialtyCode),
                d.DepartmentId)).ToList()));
    }

    // ---- Helpers ----

    internal static readonly IReadOnlyDictionary<string, string> DoctorFormatMessages = new Dictionary<string, string>
    {
        ["accountId"] = "Идентификатор учётной записи врача — UUID.",
        ["active"] = "Признак active — true или false.",
    };

    internal static readonly IReadOnlyDictionary<string, string> ScheduleFormatMessages = new Dictionary<string, string>
    {
        ["weekdays"] = "Дни недели — массив чисел от 1 (понедельник) до 7 (воскресенье).",
        ["slotMinutes"] = "Длительность приёма — целое число минут.",
        ["telemedicine"] = "Признак telemedicine — true или false.",
    };

    private static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            detail: "Передайте запрос в формате JSON (Content-Type: application/json).");

    private static ValidationProblem? ValidateExternalId(string externalId) =>
        string.IsNullOrWhiteSpace(externalId) || externalId.Length > ExternalIdLength || externalId != externalId.Trim()
            ? Problems.Validation("externalId",
                $"Идентификатор в системе организации — непустая строка без пробелов по краям, не длиннее {ExternalIdLength} символов.")
            : null;

    private static async Task<ProblemHttpResult?> ProfileMissingAsync(AppointmentsDb db, Guid organizationId, CancellationToken ct) =>
        await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Данные не приняты",
                detail: "Сначала передайте профиль организации (PUT /api/v1/appointments/org/profile): без него пациенты не увидят её отделения и врачей.",
                extensions: new Dictionary<string, object?> { ["reason"] = "organization_profile_missing" });

    /// <summary>
    /// Saves; a unique violation means a concurrent request with the same ids won the race, so the caller reads again
    /// and repeats its upsert once (the second time the row exists and is updated).
    /// </summary>
    private static async Task<bool> TrySaveAsync(AppointmentsDb db, int attempt, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && attempt == 0)
        {
            db.ChangeTracker.Clear();
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.RollbackAsync(ct);
            }

            return false;
        }
    }

    private static string? Required(string? value, string field, int length, string missing, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors[field] = [missing];
            return null;
        }

        if (trimmed.Length > length)
        {
            errors[field] = [$"Не длиннее {length} символов."];
            return null;
        }

        return trimmed;
    }

    private static string? Optional(string? value, string field, int length, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > length)
        {
            errors[field] = [$"Не длиннее {length} символов."];
            return null;
        }

        return trimmed;
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && !value.Contains(' ');
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
