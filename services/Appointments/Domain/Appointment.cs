namespace Gosuslugi.Health.Appointments.Domain;

/// <summary>A patient's appointment on a slot. Moving it keeps the id and changes the slot.</summary>
public sealed class Appointment
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    /// <summary>Only one <see cref="AppointmentStatuses.Booked"/> appointment per slot: a partial unique index.</summary>
    public Guid SlotId { get; set; }

    public Guid OrganizationId { get; init; }

    public Guid DoctorId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public bool Telemedicine { get; set; }

    /// <summary>The video consultation's link, for telemedicine.</summary>
    public string? JoinUrl { get; set; }

    /// <summary>One of <see cref="AppointmentStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Who booked it: the patient, or the person acting for them (act.sub).</summary>
    public Guid BookedBy { get; init; }

    public DateTimeOffset BookedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>"patient" or "organization" (<c>AppointmentChangedBy</c>).</summary>
    public string? CancelledBy { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>Every change (booked, moved, cancelled) in order: who, when, why.</summary>
    public List<AppointmentChange> History { get; init; } = [];

    /// <summary>Concurrency token: a patient's move and the organization's cancellation cannot both win.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class AppointmentStatuses
{
    public const string Booked = "booked";
    public const string Cancelled = "cancelled";

    /// <summary>The visit took place (the organization marks it) or its time passed.</summary>
    public const string Completed = "completed";

    public const string NoShow = "no_show";
}

public sealed class AppointmentChange
{
    public Guid Id { get; init; }

    public Guid AppointmentId { get; init; }

    /// <summary>"booked", "moved" or "cancelled".</summary>
    public required string Kind { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>The person or the organization's client who made the change.</summary>
    public required string By { get; init; }

    /// <summary>"patient", "representative" or "organization".</summary>
    public required string ByRole { get; init; }

    public Guid? FromSlotId { get; init; }

    public Guid? ToSlotId { get; init; }

    public DateTimeOffset? FromStartsAt { get; init; }

    public DateTimeOffset? ToStartsAt { get; init; }

    public string? Reason { get; init; }
}

/// <summary>
/// The first answer to a request sent with an <c>Idempotency-Key</c>: a retry with the same key gets it again, whether it
/// was a booking or a conflict, without doing anything a second time.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>Whose key it is (the token's sub): keys of different people never collide.</summary>
    public Guid OwnerId { get; init; }

    public required string Key { get; init; }

    /// <summary>The operation and its input (SHA-256, hex): the same key with another request is refused.</summary>
    public required string RequestHash { get; init; }

    public int StatusCode { get; init; }

    /// <summary>The JSON body of the first answer.</summary>
    public required string Response { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
