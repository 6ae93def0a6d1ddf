using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.SickLeave.Domain;

/// <summary>
/// The patient's request to an organization for a sick-leave certificate missing from their record: the period it
/// should cover (and its number, if the patient knows it). The organization answers with the certificate or refuses
/// with a reason within <see cref="SickLeaveRules.AnswerTime"/>; past <see cref="DueAt"/> without an answer the sweep
/// marks it overdue, and a late answer is still taken.
/// </summary>
public sealed class MissingCertificateRequest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PatientId { get; init; }

    /// <summary>The organization the patient named (as Disputes' data requests: id and name as the patient's client sends them).</summary>
    public Guid OrganizationId { get; init; }

    public required string OrganizationName { get; init; }

    public DateOnly PeriodFrom { get; init; }

    public DateOnly PeriodTo { get; init; }

    /// <summary>The certificate's number, when the patient knows it.</summary>
    public string? Number { get; init; }

    /// <summary>What the patient adds (employer, circumstances), sealed.</summary>
    public Sealed? Comment { get; init; }

    /// <summary>The client's Idempotency-Key, unique per patient: a retried submission finds this request.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The person who sent it: the patient or their representative.</summary>
    public Guid SubmittedBy { get; init; }

    /// <summary>One of <see cref="SickLeaveRequestStatuses"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset DueAt { get; init; }

    /// <summary>When the sweep found it unanswered past <see cref="DueAt"/>; kept after a late answer.</summary>
    public DateTimeOffset? OverdueAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The client id of the organization's system that answered or refused.</summary>
    public string? AnsweredBy { get; set; }

    public Guid? CertificateId { get; set; }

    public string? CertificateNumber { get; set; }

    /// <summary>Why the organization refused, sealed.</summary>
    public Sealed? RefusalReason { get; set; }

    /// <summary>Concurrency token: an answer and the overdue sweep never both win.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsFinal => Status is SickLeaveRequestStatuses.Answered or SickLeaveRequestStatuses.Refused;

    public bool WasOverdue => OverdueAt is not null;

    public bool Answer(SickLeaveCertificate certificate, string by, DateTimeOffset now)
    {
        if (IsFinal) return false;
        Status = SickLeaveRequestStatuses.Answered;
        CertificateId = certificate.Id;
        CertificateNumber = certificate.Number;
        AnsweredAt = UpdatedAt = now;
        AnsweredBy = by;
        return true;
    }

    public bool Refuse(Sealed reason, string by, DateTimeOffset now)
    {
        if (IsFinal) return false;
        Status = SickLeaveRequestStatuses.Refused;
        RefusalReason = reason;
        AnsweredAt = UpdatedAt = now;
        AnsweredBy = by;
        return true;
    }

    /// <summary>The answer time passed without an answer.</summary>
    public bool MarkOverdue(DateTimeOffset now)
    {
        if (now < DueAt || Status != SickLeaveRequestStatuses.Submitted) return false;
        Status = SickLeaveRequestStatuses.Overdue;
        OverdueAt = UpdatedAt = now;
        return true;
    }
}
