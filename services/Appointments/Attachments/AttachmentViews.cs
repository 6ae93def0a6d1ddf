using Gosuslugi.Health.Appointments.Domain;

namespace Gosuslugi.Health.Appointments.Attachments;

/// <summary>An organization as the patient sees it next to their attachment, request or waitlist entry.</summary>
public sealed record AttachmentOrganization(Guid Id, string? Name, string? Address, string? Phone)
{
    public static AttachmentOrganization From(Guid id, Organization? organization) =>
        new(id, organization?.Name, organization?.Address, organization?.Phone);
}

public sealed record MyAttachmentResponse(AttachmentOrganization Organization, DateOnly AttachedOn);

public sealed record AttachmentRequestResponse(
    Guid Id,
    AttachmentOrganization Organization,
    string? Reason,
    string? ResidenceAddress,
    string Status,
    string StatusTitle,
    string? Answer,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? AnsweredAt)
{
    public static AttachmentRequestResponse From(AttachmentRequest r, Organization? organization) =>
        new(r.Id, AttachmentOrganization.From(r.OrganizationId, organization), r.Reason, r.ResidenceAddress, r.Status,
            PatientAttachments.RequestStatusTitle(r.Status), r.Answer, r.SubmittedAt, r.AnsweredAt);
}

public sealed record AttachmentRequestListResponse(IReadOnlyList<AttachmentRequestResponse> Items);

public sealed record OrganizationAttachmentResponse(
    Guid Id,
    string? ExternalId,
    Guid PatientId,
    Guid OrganizationId,
    DateOnly AttachedOn,
    DateOnly? DetachedOn,
    Guid? RequestId)
{
    public static OrganizationAttachmentResponse From(Attachment a) =>
        new(a.Id, a.ExternalId, a.PatientId, a.OrganizationId, a.AttachedOn, a.DetachedOn, a.RequestId);
}

/// <summary>Who asks: what the organization needs to identify the patient (it knows people by SNILS).</summary>
public sealed record AttachmentRequestPatient(Guid Id, string? Snils, string? Name, DateOnly? BirthDate);

public sealed record OrganizationAttachmentRequestResponse(
    Guid Id,
    AttachmentRequestPatient Patient,
    string? Reason,
    string? ResidenceAddress,
    string Status,
    string? Answer,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? AnsweredAt,
    Guid? AttachmentId)
{
    public static OrganizationAttachmentRequestResponse From(AttachmentRequest r, KnownPatient? patient, Guid? attachmentId) =>
        new(r.Id, new AttachmentRequestPatient(r.PatientId, patient?.Snils, patient?.FullName, patient?.BirthDate), r.Reason,
            r.ResidenceAddress, r.Status, r.Answer, r.SubmittedAt, r.AnsweredAt, attachmentId);
}

public sealed record OrganizationAttachmentRequestListResponse(IReadOnlyList<OrganizationAttachmentRequestResponse> Items);
