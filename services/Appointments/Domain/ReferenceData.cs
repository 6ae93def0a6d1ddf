namespace Gosuslugi.Health.Appointments.Domain;

// Reference data a medical organization publishes about itself (client-credentials token, its org_id). The organization
// names its departments, doctors and slots by its own ids (ExternalId), so that it can send them again unchanged.

/// <summary>A polyclinic or hospital. Its id is the organization's id in identity (the org_id of its tokens).</summary>
public sealed class Organization
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    /// <summary>One of <see cref="OrganizationKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Address { get; set; }

    public required string Phone { get; set; }

    public string? Email { get; set; }

    public string? Website { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public static class OrganizationKinds
{
    public const string Polyclinic = "polyclinic";
    public const string Hospital = "hospital";

    public static readonly IReadOnlyList<string> All = [Polyclinic, Hospital];
}

public sealed class Department
{
    public Guid Id { get; init; }

    public Guid OrganizationId { get; init; }

    public required string ExternalId { get; init; }

    public required string Name { get; set; }

    /// <summary>A building or floor when it differs from the organization's address.</summary>
    public string? Address { get; set; }

    public string? Phone { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class Doctor
{
    public Guid Id { get; init; }

    public Guid OrganizationId { get; init; }

    public Guid? DepartmentId { get; set; }

    public required string ExternalId { get; init; }

    public required string FamilyName { get; set; }

    public required string GivenName { get; set; }

    public string? MiddleName { get; set; }

    /// <summary>A code of <see cref="Specialties"/> ("therapist"): what patients search by.</summary>
    public required string SpecialtyCode { get; set; }

    /// <summary>The doctor's account in identity (the <c>sub</c> of their tokens): how a doctor finds their own day.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>False once the organization withdrew the doctor: no new slots, existing appointments stay.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }

    public string FullName => string.Join(' ', new[] { FamilyName, GivenName, MiddleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>
/// A bookable interval of a doctor's schedule. The organization publishes schedules; each becomes slots. Whether a slot
/// is taken is not stored here but by the one live appointment on it (a unique index), so that no two bookings can
/// ever share it, however many instances of the service race.
/// </summary>
public sealed class Slot
{
    public Guid Id { get; init; }

    public Guid OrganizationId { get; init; }

    public Guid DoctorId { get; init; }

    public Guid? DepartmentId { get; init; }

    /// <summary>Copied from the doctor, so that a search by specialty reads one table.</summary>
    public required string SpecialtyCode { get; init; }

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    public bool Telemedicine { get; init; }

    public string? Room { get; set; }

    /// <summary>Withdrawn by the organization (a doctor's sick day): not offered; its appointment is cancelled or moved.</summary>
    public bool Closed { get; set; }

    /// <summary>The waitlist offer holding this slot for one patient until <see cref="HeldUntil"/>.</summary>
    public Guid? HeldForOfferId { get; set; }

    public DateTimeOffset? HeldUntil { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Specialties patients search by: stable codes and the names they read.</summary>
public static class Specialties
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["therapist"] = "Терапевт",
        ["pediatrician"] = "Педиатр",
        ["general_practitioner"] = "Врач общей практики",
        ["surgeon"] = "Хирург",
        ["neurologist"] = "Невролог",
        ["ophthalmologist"] = "Офтальмолог",
        ["otolaryngologist"] = "Оториноларинголог",
        ["cardiologist"] = "Кардиолог",
        ["endocrinologist"] = "Эндокринолог",
        ["gynecologist"] = "Акушер-гинеколог",
        ["urologist"] = "Уролог",
        ["dermatologist"] = "Дерматовенеролог",
        ["dentist"] = "Стоматолог",
        ["psychiatrist"] = "Психиатр",
        ["traumatologist"] = "Травматолог-ортопед",
        ["infectious_disease"] = "Инфекционист",
        ["gastroenterologist"] = "Гастроэнтеролог",
        ["pulmonologist"] = "Пульмонолог",
        ["oncologist"] = "Онколог",
        ["allergist"] = "Аллерголог-иммунолог",
    };

    public static string NameOf(string code) => Names.TryGetValue(code, out var name) ? name : code;
}
