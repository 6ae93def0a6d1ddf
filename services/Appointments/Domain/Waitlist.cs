namespace Gosuslugi.Health.Appointments.Domain;

/// <summary>
/// A patient waits for an earlier slot with a doctor, or with any doctor of a specialty at an organization. When a
/// matching slot frees up, the first waiting patient (by <see cref="CreatedAt"/>) is offered it for a limited time.
/// </summary>
public sealed class WaitlistEntry
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>A particular doctor, or null for any doctor of <see cref="SpecialtyCode"/>.</summary>
    public Guid? DoctorId { get; init; }

    public required string SpecialtyCode { get; init; }

    /// <summary>The appointment the patient holds now and wants earlier, if any: accepting an offer moves it.</summary>
    public Guid? AppointmentId { get; init; }

    /// <summary>Only slots that start before this instant are offered.</summary>
    public DateTimeOffset WantedBefore { get; init; }

    /// <summary>One of <see cref="WaitlistStatuses"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public static class WaitlistStatuses
{
    public const string Waiting = "waiting";
    public const string Offered = "offered";

    /// <summary>The patient accepted an offer and has the appointment.</summary>
    public const string Fulfilled = "fulfilled";

    public const string Cancelled = "cancelled";

    /// <summary>Nothing came up before <see cref="WaitlistEntry.WantedBefore"/>.</summary>
    public const string Expired = "expired";
}

/// <summary>A freed slot held for one waitlist entry until <see cref="ExpiresAt"/>.</summary>
public sealed class SlotOffer
{
    public Guid Id { get; init; }

    public Guid EntryId { get; init; }

    public Guid PatientId { get; init; }

    public Guid SlotId { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>One of <see cref="SlotOfferStatuses"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; set; }
}

public static class SlotOfferStatuses
{
    public const string Open = "open";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Expired = "expired";
}
