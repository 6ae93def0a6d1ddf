using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Immunizations.Api;

/// <summary>
/// One item of a patient's vaccination plan as a medical organization publishes it. The item's id is the
/// organization's own (the route's externalId); the organization is the one the token was issued to.
/// </summary>
public sealed record PublishVaccinationPlanRequest(
    string? Snils,
    string? Disease,
    string? VaccineName,
    string? Stage,
    DateOnly? DueOn) : IJsonRequest<PublishVaccinationPlanRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<PublishVaccinationPlanRequest>.FormatMessages => VaccinationPlansApi.FormatMessages;
}

public static class VaccinationPlanStatuses
{
    public const string Planned = "planned";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static string Of(VaccinationPlan plan) =>
        plan.CancelledAt is not null ? Cancelled : plan.DoneAt is not null ? Done : Planned;
}

/// <summary>The plan item as the publishing organization sees it back.</summary>
public sealed record VaccinationPlanItemResponse(
    Guid Id,
    string ExternalId,
    Guid PatientId,
    string Disease,
    string? VaccineName,
    string? Stage,
    DateOnly DueOn,
    string Status,
    DateTimeOffset? DoneAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? NotifiedAt,
    DateTimeOffset UpdatedAt)
{
    public static VaccinationPlanItemResponse From(VaccinationPlan p) => new(
        p.Id, p.ExternalId, p.PatientId, p.Disease, p.VaccineName, p.Stage, p.DueOn, VaccinationPlanStatuses.Of(p),
        p.DoneAt, p.CancelledAt, p.NotifiedAt, p.UpdatedAt);
}

/// <summary>A vaccination still to be done, as the patient sees it in their plan.</summary>
public sealed record PlannedVaccinationResponse(
    Guid Id,
    string Disease,
    string? VaccineName,
    string? Stage,
    DateOnly DueOn,
    OrganizationDto Organization)
{
    public static PlannedVaccinationResponse From(VaccinationPlan p) => new(
        p.Id, p.Disease, p.VaccineName, p.Stage, p.DueOn, new OrganizationDto(p.OrganizationId, p.OrganizationName));
}

public sealed record PlannedVaccinationListResponse(IReadOnlyList<PlannedVaccinationResponse> Items);
