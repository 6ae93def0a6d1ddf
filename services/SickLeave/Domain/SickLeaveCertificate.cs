using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.SickLeave.Domain;

/// <summary>
/// An electronic sick-leave certificate (электронный листок нетрудоспособности) as its medical organization last
/// published it. Each accepted publication is kept as a <see cref="CertificateVersion"/>; the row holds the current
/// one: the plain columns the lists filter on, and the sealed content.
/// </summary>
public sealed class SickLeaveCertificate
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>The organization's name as its token carried it when it last published.</summary>
    public required string OrganizationName { get; set; }

    /// <summary>The certificate's 12-digit number, unique in the country.</summary>
    public required string Number { get; init; }

    /// <summary>One of <c>SickLeaveStatuses</c>.</summary>
    public required string Status { get; set; }

    public int Version { get; set; } = 1;

    public DateOnly StartsOn { get; set; }

    public DateOnly EndsOn { get; set; }

    /// <summary>The current version's <see cref="CertificateContent"/>, sealed.</summary>
    public required Sealed Content { get; set; }

    /// <summary>SHA-256 of the current content and status (<see cref="CertificateContent.Hash"/>).</summary>
    public required string ContentHash { get; set; }

    public DateTimeOffset PublishedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One accepted publication of a certificate, in order: the patient sees how it was opened, extended and closed.</summary>
public sealed class CertificateVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CertificateId { get; init; }

    /// <summary>The patient whose key sealed <see cref="Content"/>.</summary>
    public Guid PatientId { get; init; }

    public int Version { get; init; }

    public required string Status { get; init; }

    public required Sealed Content { get; init; }

    public required string ContentHash { get; init; }

    /// <summary>The client id of the organization's system that sent it.</summary>
    public required string SubmittedBy { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
