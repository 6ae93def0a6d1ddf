using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.SickLeave.Domain;

namespace Gosuslugi.Health.SickLeave.Requests;

/// <summary>"Если требуемый листок отсутствует": the organization, the missing period and, if known, the number.</summary>
public sealed record SubmitMissingCertificateRequest(
    Guid? OrganizationId,
    string? OrganizationName,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo,
    string? Number,
    string? Comment) : IJsonRequest<SubmitMissingCertificateRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<SubmitMissingCertificateRequest>.FormatMessages => Formats;

    internal static readonly Dictionary<string, string> Formats = new()
    {
        ["organizationId"] = "Организация указывается идентификатором (UUID).",
        ["periodFrom"] = "Дата указывается в формате ГГГГ-ММ-ДД.",
        ["periodTo"] = "Дата указывается в формате ГГГГ-ММ-ДД.",
    };
}

/// <summary>The organization's answer: the number of the certificate it published for the patient, or a refusal with a reason.</summary>
public sealed record AnswerMissingCertificateRequest(string? CertificateNumber, string? RefusalReason)
    : IJsonRequest<AnswerMissingCertificateRequest>;

public sealed record RequestOrganizationDto(Guid Id, string Name);

/// <summary>What the patient sees of a request: when the answer is due (24 hours), whether it is overdue, the answer.</summary>
public sealed record MissingCertificateRequestResponse(
    Guid Id,
    RequestOrganizationDto Organization,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string? Number,
    string? Comment,
    string Status,
    string StatusTitle,
    DateTimeOffset SubmittedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    DateTimeOffset? AnsweredAt,
    Guid? CertificateId,
    string? CertificateNumber,
    string? RefusalReason);

public sealed record MissingCertificateRequestListResponse(IReadOnlyList<MissingCertificateRequestResponse> Items);

/// <summary>The patient's details the organization needs to find or issue the certificate.</summary>
public sealed record RequestPatientDto(Guid Id, string FullName, DateOnly BirthDate, string Snils);

public sealed record OrganizationRequestResponse(RequestPatientDto? Patient, MissingCertificateRequestResponse Request);

public sealed record OrganizationRequestListResponse(IReadOnlyList<OrganizationRequestResponse> Items);

public static class RequestValidator
{
    public static Dictionary<string, string[]> Validate(SubmitMissingCertificateRequest request, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);

        if (request.OrganizationId is null || request.OrganizationId == Guid.Empty) Add("organizationId", "Укажите медицинскую организацию.");
        var name = request.OrganizationName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > SickLeaveRules.OrganizationNameLength)
            Add("organizationName", $"Укажите название организации (не длиннее {SickLeaveRules.OrganizationNameLength} символов).");
        if (request.PeriodFrom is null) Add("periodFrom", "Укажите начало отсутствующего периода.");
        if (request.PeriodTo is null) Add("periodTo", "Укажите окончание отсутствующего периода.");
        if (request.PeriodFrom > request.PeriodTo) Add("periodFrom", "Начало периода не может быть позже его окончания.");
        if (request.PeriodFrom > today) Add("periodFrom", "Период нетрудоспособности не может начинаться в будущем.");
        var number = request.Number?.Trim();
        if (!string.IsNullOrEmpty(number) && (number.Length != SickLeaveRules.NumberLength || !number.All(char.IsAsciiDigit)))
            Add("number", "Номер листка нетрудоспособности — 12 цифр.");
        if (request.Comment?.Trim().Length > SickLeaveRules.CommentLength)
            Add("comment", $"Комментарий — не длиннее {SickLeaveRules.CommentLength} символов.");
        return errors;
    }

    public static Dictionary<string, string[]> Validate(AnswerMissingCertificateRequest answer)
    {
        var errors = new Dictionary<string, string[]>();
        var number = answer.CertificateNumber?.Trim();
        var reason = answer.RefusalReason?.Trim();
        if (string.IsNullOrEmpty(number) == string.IsNullOrEmpty(reason))
            errors["certificateNumber"] = ["Укажите либо номер листка (certificateNumber), либо причину отказа (refusalReason)."];
        else if (!string.IsNullOrEmpty(number) && (number.Length != SickLeaveRules.NumberLength || !number.All(char.IsAsciiDigit)))
            errors["certificateNumber"] = ["Номер листка нетрудоспособности — 12 цифр."];
        else if (reason?.Length > SickLeaveRules.RefusalReasonLength)
            errors["refusalReason"] = [$"Причина отказа — не длиннее {SickLeaveRules.RefusalReasonLength} символов."];
        return errors;
    }
}
