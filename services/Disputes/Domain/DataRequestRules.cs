using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Contracts.Records;

namespace Gosuslugi.Health.Disputes.Domain;

public static class DataRequestRules
{
    /// <summary>Requests and disputes are reviewed within 30 calendar days.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromDays(30);

    public const string OtherKind = "other";

    public const int OrganizationNameLength = 300;
    public const int CommentLength = 2000;
    public const int AnswerLength = 2000;
    public const int IdempotencyKeyLength = 100;
    public const int ByLength = 100;

    /// <summary>The record item kinds, and "other" for anything else the patient misses.</summary>
    public static readonly IReadOnlyList<string> DataKinds = [.. RecordItemKinds.All, OtherKind];

    public static readonly IReadOnlyList<string> AllStatuses =
    [
        DataRequestStatuses.Submitted, DataRequestStatuses.InProgress, DataRequestStatuses.Answered,
        DataRequestStatuses.Refused, DataRequestStatuses.Overdue,
    ];

    /// <summary>What an organization may set.</summary>
    public static readonly IReadOnlyList<string> OrganizationStatuses =
        [DataRequestStatuses.InProgress, DataRequestStatuses.Answered, DataRequestStatuses.Refused];

    public static bool IsFinal(string status) => status is DataRequestStatuses.Answered or DataRequestStatuses.Refused;

    /// <summary>
    /// Closed requests stay closed. An overdue request may still be taken into work and answered: a late answer is
    /// better than none for the patient.
    /// </summary>
    public static bool CanChange(string from, string to) => (from, to) switch
    {
        _ when IsFinal(from) || from == to => false,
        (_, DataRequestStatuses.Submitted) => false,
        _ => true,
    };

    /// <summary>What the patient reads for each status.</summary>
    public static string StatusTitle(string status) => status switch
    {
        DataRequestStatuses.Submitted => "Отправлен",
        DataRequestStatuses.InProgress => "В работе",
        DataRequestStatuses.Answered => "Готово",
        DataRequestStatuses.Refused => "Отказ",
        DataRequestStatuses.Overdue => "Срок ответа истёк",
        _ => status,
    };

    public static string DataKindTitle(string kind) => kind switch
    {
        RecordItemKinds.Visit => "Приёмы и обращения",
        RecordItemKinds.LabResult => "Результаты анализов",
        RecordItemKinds.DiagnosticResult => "Результаты диагностических исследований",
        RecordItemKinds.Protocol => "Протоколы осмотров",
        RecordItemKinds.Discharge => "Выписные эпикризы",
        RecordItemKinds.PreventiveExam => "Диспансеризация и профосмотры",
        OtherKind => "Другие сведения",
        _ => kind,
    };
}
