using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Immunizations.Api;

/// <summary>
/// A vaccination as a medical organization sends it. The patient is named by SNILS; the organization
/// is never in the body: it is the one the access token was issued to.
/// </summary>
public sealed record RecordImmunizationRequest(
    string? Snils,
    string? ExternalId,
    VaccineDto? Vaccine,
    string? Disease,
    int? DoseNumber,
    string? Stage,
    string? LotNumber,
    DateOnly? AdministeredOn,
    string? Route,
    string? Site,
    string? PerformerName) : IJsonRequest<RecordImmunizationRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<RecordImmunizationRequest>.FormatMessages => ImmunizationsApi.FormatMessages;
}

public sealed record VaccineDto(string? Code, string? Name);

public sealed record OrganizationDto(Guid Id, string Name);

public sealed record ImmunizationResponse(
    Guid Id,
    Guid PatientId,
    string? ExternalId,
    OrganizationDto Organization,
    VaccineDto Vaccine,
    string Disease,
    int? DoseNumber,
    string? Stage,
    string? LotNumber,
    DateOnly AdministeredOn,
    string? Route,
    string? Site,
    string? PerformerName,
    DateTimeOffset RecordedAt)
{
    public static ImmunizationResponse From(Immunization i) => new(
        i.Id,
        i.PatientId,
        i.ExternalId,
        new OrganizationDto(i.OrganizationId, i.OrganizationName),
        new VaccineDto(i.VaccineCode, i.VaccineName),
        i.Disease,
        i.DoseNumber,
        i.Stage,
        i.LotNumber,
        i.AdministeredOn,
        i.Route,
        i.Site,
        i.PerformerName,
        i.RecordedAt);
}

public sealed record ImmunizationListResponse(IReadOnlyList<ImmunizationResponse> Items);
