namespace Gosuslugi.Health.Notifications.Domain;

/// <summary>
/// A person's contacts (from identity's ContactDetailsChanged) and their choices: quiet hours and which categories go
/// to which channels (<see cref="ChannelPreference"/>). A person with no row gets the defaults.
/// </summary>
public sealed class Recipient
{
    public Guid PersonId { get; init; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    /// <summary>OccurredAt of the contact event applied last: an older one arriving late changes nothing.</summary>
    public DateTimeOffset? ContactsChangedAt { get; set; }

    /// <summary>Quiet hours in Moscow time, e.g. 22:00–08:00 (may wrap midnight); null: none.</summary>
    public TimeOnly? QuietFrom { get; set; }

    public TimeOnly? QuietTo { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Whether <see cref="Category"/> goes to <see cref="Channel"/> for the person; absent rows take the default.</summary>
public sealed class ChannelPreference
{
    public Guid PersonId { get; init; }

    public required string Category { get; init; }

    public required string Channel { get; init; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A mobile device registered for push messages.</summary>
public sealed class PushDevice
{
    public Guid Id { get; init; }

    public Guid PersonId { get; init; }

    /// <summary>The push service's token of the app installation.</summary>
    public required string Token { get; init; }

    /// <summary>"android", "ios" or "web".</summary>
    public required string Platform { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }
}

/// <summary>
/// A delegation identity announced (DelegationGranted / DelegationRevoked): the actor gets the patient's notifications
/// on their own channels from <see cref="ValidFrom"/> until <see cref="ValidTo"/> or revocation, never after.
/// </summary>
public sealed class KnownDelegation
{
    public Guid DelegationId { get; init; }

    public Guid PatientId { get; init; }

    public Guid ActorId { get; init; }

    /// <summary>"all", "limited" or "manage".</summary>
    public required string Scope { get; init; }

    public DateTimeOffset ValidFrom { get; init; }

    public DateTimeOffset ValidTo { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// A reminder of an appointment, due 24 hours or 2 hours before it. A sweeper claims due rows with FOR UPDATE SKIP
/// LOCKED: with two instances each reminder goes out once. A cancelled appointment's reminders are withdrawn; a moved
/// one's are rescheduled.
/// </summary>
public sealed class AppointmentReminder
{
    public Guid Id { get; init; }

    public Guid AppointmentId { get; init; }

    public Guid PatientId { get; init; }

    /// <summary>One of <see cref="ReminderKinds"/>.</summary>
    public required string Kind { get; init; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>What the reminder says (the appointment as of the last event): JSON of the AppointmentBooked event.</summary>
    public required string Appointment { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>One of <see cref="ReminderStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>OccurredAt of the appointment event applied last.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

public static class ReminderKinds
{
    public const string DayBefore = "24h";
    public const string TwoHoursBefore = "2h";
}

public static class ReminderStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Withdrawn = "withdrawn";
}
