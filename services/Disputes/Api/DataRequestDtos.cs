using Gosuslugi.Health.Disputes.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Disputes.Api;

/// <param name="OrganizationId">
/// Stopgap: the patient's client passes the organization's id and name as it knows them, until Appointments publishes
/// the organization directory (issue 5) and the name can be looked up instead of trusted.
/// </param>
public sealed record SubmitDataRequest(
    Guid? OrganizationId,
    string? OrganizationName,
    string? DataKind,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo,
    string? Comment) : IJsonRequest<SubmitDataRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<SubmitDataRequest>.FormatMessages => DataRequestValidator.FormatMessages;
}

/// <param name="Status">in_progress, answered or refused.</param>
/// <param name="Answer">Required for answered and refused: what the patient reads.</param>
public sealed record ChangeDataRequestStatus(string? Status, string? Answer) : IJsonRequest<ChangeDataRequestStatus>;

public sealed record DataRequestStatusChangeResponse(string Status, string StatusTitle, DateTimeOffset At, string ByRole,
    string? Note)
{
    public static DataRequestStatusChangeResponse From(DataRequestStatusChange c) =>
        new(c.Status, DataRequestRules.StatusTitle(c.Status), c.At, c.ByRole, c.Note);
}

/// <summary>A request as the patient sees it; <see cref="History"/> only in the single-request answer.</summary>
public sealed record DataRequestResponse(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string DataKind,
    string DataKindTitle,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string? Comment,
    string Status,
    string StatusTitle,
    DateTimeOffset SubmittedAt,
    DateTimeOffset DueAt,
    string? Answer,
    DateTimeOffset? AnsweredAt,
    IReadOnlyList<DataRequestStatusChangeResponse>? History)
{
    public static DataRequestResponse From(DataRequest r, bool withHistory) => new(
        r.Id, r.OrganizationId, r.OrganizationName, r.DataKind, DataRequestRules.DataKindTitle(r.DataKind),
        r.PeriodFrom, r.PeriodTo, r.Comment, r.Status, DataRequestRules.StatusTitle(r.Status), r.SubmittedAt, r.DueAt,
        r.Answer, r.AnsweredAt,
        withHistory ? r.History.OrderBy(c => c.At).ThenBy(c => c.Id).Select(DataRequestStatusChangeResponse.From).ToList() : null);
}

public sealed record DataRequestListResponse(IReadOnlyList<DataRequestResponse> Items);

/// <summary>A request as the organization it is addressed to sees it.</summary>
public sealed record OrganizationDataRequestResponse(
    Guid Id,
    Guid PatientId,
    string DataKind,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string? Comment,
    string Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset DueAt,
    string? Answer,
    DateTimeOffset? AnsweredAt,
    string? AnsweredBy)
{
    public static OrganizationDataRequestResponse From(DataRequest r) => new(
        r.Id, r.PatientId, r.DataKind, r.PeriodFrom, r.PeriodTo, r.Comment, r.Status, r.SubmittedAt, r.DueAt,
        r.Answer, r.AnsweredAt, r.AnsweredBy);
}

public sealed record OrganizationDataRequestListResponse(IReadOnlyList<OrganizationDataRequestResponse> Items);
