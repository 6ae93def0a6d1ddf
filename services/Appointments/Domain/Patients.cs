namespace Gosuslugi.Health.Appointments.Domain;

/// <summary>
/// What identity's events tell about a person, to decide whether they may book (a confirmed account and an OMS policy in
/// force) and to name them to organizations (by SNILS) and doctors. Each part remembers the OccurredAt of the event it
/// came from, so that an older event arriving late changes nothing.
/// </summary>
public sealed class KnownPatient
{
    public Guid PatientId { get; init; }

    public string? Snils { get; set; }

    public string? FamilyName { get; set; }

    public string? GivenName { get; set; }

    public string? MiddleName { get; set; }

    public DateOnly? BirthDate { get; set; }

    public DateTimeOffset? RegisteredAt { get; set; }

    /// <summary>"simplified", "standard" or "confirmed"; null until identity tells.</summary>
    public string? AccountLevel { get; set; }

    public DateTimeOffset? AccountLevelAt { get; set; }

    public DateOnly? OmsValidFrom { get; set; }

    public DateOnly? OmsValidTo { get; set; }

    public DateTimeOffset? OmsChangedAt { get; set; }

    public string FullName => string.Join(' ', new[] { FamilyName, GivenName, MiddleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>The patient's attachment to a polyclinic, from <see cref="AttachedOn"/> until <see cref="DetachedOn"/>.</summary>
public sealed class Attachment
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    public DateOnly AttachedOn { get; set; }

    /// <summary>Null while it lasts.</summary>
    public DateOnly? DetachedOn { get; set; }

    /// <summary>The organization's own id of the attachment, when it sent one, so that a resend changes nothing.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The patient's request that led to it, if any.</summary>
    public Guid? RequestId { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The patient asks to be attached to another polyclinic; the organization approves or refuses.</summary>
public sealed class AttachmentRequest
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>Why (moved house, another polyclinic is closer, ...), in the patient's words.</summary>
    public string? Reason { get; init; }

    /// <summary>The address where the patient lives, which the polyclinic serves.</summary>
    public string? ResidenceAddress { get; init; }

    /// <summary>One of <c>AttachmentRequestStatuses</c>.</summary>
    public required string Status { get; set; }

    public string? Answer { get; set; }

    public DateTimeOffset SubmittedAt { get; init; }

    public required string SubmittedBy { get; init; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}
