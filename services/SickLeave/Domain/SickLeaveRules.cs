using Gosuslugi.Health.Contracts.SickLeave;

namespace Gosuslugi.Health.SickLeave.Domain;

/// <summary>Codes, titles, limits and the certificate's life cycle, shared by validation, the schema and the texts.</summary>
public static class SickLeaveRules
{
    public const int NumberLength = 12;
    public const int OrganizationNameLength = 300;
    public const int DoctorNameLength = 200;
    public const int DoctorPositionLength = 200;
    public const int MaxPeriods = 20;
    public const int AnnulmentReasonLength = 1000;
    public const int CommentLength = 2000;
    public const int RefusalReasonLength = 2000;
    public const int IdempotencyKeyLength = 100;
    public const int ByLength = 100;

    /// <summary>The organization answers a missing-certificate request within 24 hours.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromHours(24);

    /// <summary>Reason codes of incapacity (причина нетрудоспособности) as the certificate form numbers them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["01"] = "Заболевание",
        ["02"] = "Травма",
        ["03"] = "Карантин",
        ["04"] = "Несчастный случай на производстве или его последствия",
        ["05"] = "Отпуск по беременности и родам",
        ["06"] = "Протезирование по медицинским показаниям в стационаре",
        ["07"] = "Профессиональное заболевание или его обострение",
        ["08"] = "Долечивание в санаторно-курортной организации",
        ["09"] = "Уход за больным членом семьи",
        ["10"] = "Иное состояние (отравление, проведение манипуляций и др.)",
        ["11"] = "Заболевание из перечня социально значимых заболеваний",
        ["12"] = "Уход за больным ребёнком до 7 лет с заболеванием из перечня",
        ["13"] = "Уход за ребёнком-инвалидом",
        ["14"] = "Уход за ребёнком при поствакцинальном осложнении или злокачественном новообразовании",
        ["15"] = "Уход за ребёнком с ВИЧ-инфекцией",
    };

    /// <summary>Where the patient is treated (режим лечения).</summary>
    public static readonly IReadOnlyDictionary<string, string> Regimes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["outpatient"] = "Амбулаторное лечение",
        ["inpatient"] = "Стационарное лечение",
        ["day_hospital"] = "Дневной стационар",
        ["sanatorium"] = "Санаторно-курортное лечение",
    };

    public static string StatusTitle(string status) => status switch
    {
        SickLeaveStatuses.Open => "Открыт",
        SickLeaveStatuses.Extended => "Продлён",
        SickLeaveStatuses.Closed => "Закрыт",
        SickLeaveStatuses.Annulled => "Аннулирован",
        _ => status,
    };

    public static string RequestStatusTitle(string status) => status switch
    {
        SickLeaveRequestStatuses.Submitted => "Отправлен",
        SickLeaveRequestStatuses.Answered => "Листок получен",
        SickLeaveRequestStatuses.Refused => "Отказ",
        SickLeaveRequestStatuses.Overdue => "Срок ответа истёк",
        _ => status,
    };

    /// <summary>
    /// Why a certificate in <paramref name="from"/> cannot become <paramref name="to"/>, in Russian; null when it can.
    /// An open or extended certificate is corrected, extended, closed or annulled; a closed one can only be annulled;
    /// an annulled one is final.
    /// </summary>
    public static string? TransitionRefusal(string from, string to) => (from, to) switch
    {
        (SickLeaveStatuses.Annulled, _) => "Листок нетрудоспособности аннулирован: изменения больше не принимаются.",
        (SickLeaveStatuses.Closed, SickLeaveStatuses.Annulled) => null,
        (SickLeaveStatuses.Closed, _) => "Закрытый листок нетрудоспособности нельзя продлить или изменить, только аннулировать.",
        (SickLeaveStatuses.Extended, SickLeaveStatuses.Open) => "Продлённый листок нетрудоспособности не может снова стать открытым.",
        _ => null,
    };
}
