using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Disputes.Domain;

namespace Gosuslugi.Health.Disputes.Api;

public sealed record ValidDataRequest(
    Guid OrganizationId, string OrganizationName, string DataKind, DateOnly PeriodFrom, DateOnly PeriodTo,
    string? Comment);

public sealed record ValidStatusChange(string Status, string? Answer);

/// <summary>Checks every field and names each wrong one, in Russian, so that the form can mark them all at once.</summary>
public static class DataRequestValidator
{
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static readonly IReadOnlyDictionary<string, string> FormatMessages = new Dictionary<string, string>
    {
        ["organizationId"] = "Идентификатор организации указывается в формате GUID.",
        ["periodFrom"] = "Дата начала периода указывается в формате ГГГГ-ММ-ДД.",
        ["periodTo"] = "Дата окончания периода указывается в формате ГГГГ-ММ-ДД.",
    };

    /// <summary>The latest date that is not in the future anywhere in the country (UTC+12, Kamchatka).</summary>
    public static DateOnly LatestAllowedDate(DateTimeOffset utcNow) =>
        DateOnly.FromDateTime(utcNow.ToOffset(TimeSpan.FromHours(12)).DateTime);

    public static Dictionary<string, string[]> Validate(SubmitDataRequest request, DateOnly latestDate,
        out ValidDataRequest? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (request.OrganizationId is not { } organizationId || organizationId == Guid.Empty)
        {
            Fail("organizationId", "Выберите медицинскую организацию, в которую направляется запрос.");
        }

        var organizationName = Trimmed(request.OrganizationName);
        if (organizationName is null)
        {
            Fail("organizationName", "Укажите название медицинской организации.");
        }
        else if (organizationName.Length > DataRequestRules.OrganizationNameLength)
        {
            Fail("organizationName",
                $"Название медицинской организации должно быть не длиннее {DataRequestRules.OrganizationNameLength} символов.");
        }

        var dataKind = Trimmed(request.DataKind);
        if (dataKind is null)
        {
            Fail("dataKind", "Укажите, какие данные вы запрашиваете.");
        }
        else if (!DataRequestRules.DataKinds.Contains(dataKind))
        {
            Fail("dataKind", $"Неизвестный вид данных. Допустимые значения: {string.Join(", ", DataRequestRules.DataKinds)}.");
        }

        if (request.PeriodFrom is not { } from)
        {
            Fail("periodFrom", "Укажите дату начала периода.");
        }
        else if (from < EarliestDate)
        {
            Fail("periodFrom", "Дата начала периода не может быть раньше 01.01.1900.");
        }
        else if (from > latestDate)
        {
            Fail("periodFrom", "Дата начала периода не может быть в будущем.");
        }

        if (request.PeriodTo is not { } to)
        {
            Fail("periodTo", "Укажите дату окончания периода.");
        }
        else if (to > latestDate)
        {
            Fail("periodTo", "Дата окончания периода не может быть в будущем.");
        }
        else if (request.PeriodFrom is { } start && start > to)
        {
            Fail("periodTo", "Дата окончания периода не может быть раньше даты начала.");
        }

        var comment = Trimmed(request.Comment);
        if (comment is { Length: > DataRequestRules.CommentLength })
        {
            Fail("comment", $"Комментарий должен быть не длиннее {DataRequestRules.CommentLength} символов.");
        }

        valid = errors.Count == 0
            ? new ValidDataRequest(request.OrganizationId!.Value, organizationName!, dataKind!, request.PeriodFrom!.Value,
                request.PeriodTo!.Value, comment)
            : null;
        return errors;
    }

    public static Dictionary<string, string[]> Validate(ChangeDataRequestStatus request, out ValidStatusChange? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var status = Trimmed(request.Status);
        if (status is null)
        {
            Fail("status", "Укажите новый статус запроса.");
        }
        else if (!DataRequestRules.OrganizationStatuses.Contains(status))
        {
            Fail("status", $"Недопустимый статус. Допустимые значения: {string.Join(", ", DataRequestRules.OrganizationStatuses)}.");
        }

        var answer = Trimmed(request.Answer);
        if (answer is null && status is not null && DataRequestRules.IsFinal(status))
        {
            Fail("answer", status == DataRequestStatuses.Refused
                ? "Укажите причину отказа: её увидит пациент."
                : "Укажите ответ: его увидит пациент.");
        }
        else if (answer is { Length: > DataRequestRules.AnswerLength })
        {
            Fail("answer", $"Ответ должен быть не длиннее {DataRequestRules.AnswerLength} символов.");
        }

        valid = errors.Count == 0 ? new ValidStatusChange(status!, answer) : null;
        return errors;
    }

    public static Dictionary<string, string[]> ValidateStatusFilter(string? status)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !DataRequestRules.AllStatuses.Contains(status))
        {
            errors["status"] = [$"Неизвестный статус. Допустимые значения: {string.Join(", ", DataRequestRules.AllStatuses)}."];
        }
        return errors;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
