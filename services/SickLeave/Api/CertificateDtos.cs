using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Domain;

namespace Gosuslugi.Health.SickLeave.Api;

public sealed record OrganizationDto(Guid Id, string Name);

public sealed record CodeDto(string Code, string Title);

public sealed record CertificateSummary(
    Guid Id,
    string Number,
    string Status,
    string StatusTitle,
    DateOnly StartsOn,
    DateOnly EndsOn,
    OrganizationDto Organization,
    int Version,
    DateTimeOffset UpdatedAt)
{
    public static CertificateSummary From(SickLeaveCertificate c) => new(c.Id, c.Number, c.Status,
        SickLeaveRules.StatusTitle(c.Status), c.StartsOn, c.EndsOn, new OrganizationDto(c.OrganizationId, c.OrganizationName),
        c.Version, c.UpdatedAt);
}

public sealed record CertificateListResponse(IReadOnlyList<CertificateSummary> Items);

public sealed record VersionDto(int Version, string Status, string StatusTitle, DateTimeOffset ReceivedAt);

/// <summary>The card of a certificate ("Листок нетрудоспособности № ..."): everything the official PDF prints.</summary>
public sealed record CertificateResponse(
    Guid Id,
    Guid PatientId,
    string Number,
    string Status,
    string StatusTitle,
    int Version,
    OrganizationDto Organization,
    DateOnly IssuedOn,
    CodeDto Reason,
    CodeDto Regime,
    DoctorDto Doctor,
    IReadOnlyList<PeriodDto> Periods,
    DateOnly StartsOn,
    DateOnly EndsOn,
    DateOnly? ReturnToWorkOn,
    string? AnnulmentReason,
    DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<VersionDto> History)
{
    public static CertificateResponse From(SickLeaveCertificate c, CertificateContent content, IReadOnlyList<CertificateVersion>? versions = null) => new(
        c.Id, c.PatientId, c.Number, c.Status, SickLeaveRules.StatusTitle(c.Status), c.Version,
        new OrganizationDto(c.OrganizationId, c.OrganizationName),
        content.IssuedOn,
        new CodeDto(content.ReasonCode, SickLeaveRules.Reasons.GetValueOrDefault(content.ReasonCode, content.ReasonCode)),
        new CodeDto(content.Regime, SickLeaveRules.Regimes.GetValueOrDefault(content.Regime, content.Regime)),
        new DoctorDto(content.DoctorName, content.DoctorPosition),
        content.Periods.Select(p => new PeriodDto(p.From, p.To, p.DoctorName)).ToList(),
        content.StartsOn, content.EndsOn, content.ReturnToWorkOn, content.AnnulmentReason, c.PublishedAt, c.UpdatedAt,
        (versions ?? []).Select(v => new VersionDto(v.Version, v.Status, SickLeaveRules.StatusTitle(v.Status), v.ReceivedAt)).ToList());

    public static CertificateResponse From(CertificateRead read) => From(read.Certificate, read.Content, read.Versions);
}
