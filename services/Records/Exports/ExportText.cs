using System.Globalization;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>How exports write values for a Russian reader: labels of API values, dates in Moscow time, numbers.</summary>
public static class ExportText
{
    /// <summary>Numbers as a Russian reader (and Russian Excel) writes them: a decimal comma, no grouping.</summary>
    public static readonly CultureInfo Culture = CreateCulture();

    public static string Kind(string kind) => kind switch
    {
        RecordItemKinds.Visit => "Приём",
        RecordItemKinds.LabResult => "Лабораторный анализ",
        RecordItemKinds.DiagnosticResult => "Инструментальное исследование",
        RecordItemKinds.Protocol => "Протокол осмотра",
        RecordItemKinds.Discharge => "Выписной эпикриз",
        RecordItemKinds.PreventiveExam => "Профилактический осмотр",
        _ => kind,
    };

    public static string Interpretation(string interpretation) => interpretation switch
    {
        Interpretations.Normal => "Норма",
        Interpretations.Low => "Ниже нормы",
        Interpretations.High => "Выше нормы",
        Interpretations.Critical => "Критическое значение",
        Interpretations.Abnormal => "Отклонение от нормы",
        _ => "Не оценено",
    };

    public static string VisitKind(string visitKind) => visitKind switch
    {
        "consultation" => "консультация",
        "examination" => "обследование",
        "treatment" => "лечение",
        "hospitalization" => "госпитализация",
        "telemedicine" => "телемедицинская консультация",
        _ => visitKind,
    };

    public static string PreventiveProgram(string program) => program switch
    {
        "dispanserization" => "Диспансеризация",
        "prof_exam" => "Профилактический медицинский осмотр",
        _ => program,
    };

    public static string PreventiveStatus(string status) => status switch
    {
        "planned" => "запланирован",
        "in_progress" => "проходит",
        "done" => "пройден",
        "cancelled" => "отменён",
        _ => status,
    };

    public static DateTimeOffset Moscow(DateTimeOffset at) => MoscowTime.Of(at);

    /// <summary>"22.11.2026 10:15", Moscow time.</summary>
    public static string DateTime(DateTimeOffset at) => Moscow(at).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"22.11.2026", the Moscow calendar day.</summary>
    public static string Date(DateTimeOffset at) => Moscow(at).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly day) => day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>"5,2": at most six decimals (the column's scale), without trailing zeros.</summary>
    public static string Number(decimal value) => value.ToString("0.######", Culture);

    public static string Number(decimal? value) => value is { } v ? Number(v) : "";

    /// <summary>The value as printed: the number, or the text of a non-numeric result.</summary>
    public static string Value(ExportValue value) => value.Value is { } number ? Number(number) : value.ValueText ?? "";

    /// <summary>"3,5–5,5", "≥ 3,5", "≤ 5,5" or the range's text ("отрицательно").</summary>
    public static string ReferenceRange(ExportValue value) => (value.ReferenceLow, value.ReferenceHigh) switch
    {
        ({ } low, { } high) => $"{Number(low)}–{Number(high)}",
        ({ } low, null) => $"≥ {Number(low)}",
        (null, { } high) => $"≤ {Number(high)}",
        _ => value.ReferenceText ?? "",
    };

    /// <summary>"за период с 01.01.2020 по 31.12.2025", "за период с 01.01.2020", "за период по 31.12.2025" or "за всё время".</summary>
    public static string Period(RecordFilter filter) => (filter.From, filter.To) switch
    {
        ({ } from, { } to) => $"за период с {Date(from)} по {Date(to)}",
        ({ } from, null) => $"за период с {Date(from)}",
        (null, { } to) => $"за период по {Date(to)}",
        _ => "за всё время",
    };

    /// <summary>"medcard-2026-11-22.pdf": ASCII, dated by the Moscow day of generation.</summary>
    public static string FileName(DateTimeOffset generatedAt, string extension) =>
        $"medcard-{Moscow(generatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{extension}";

    private static CultureInfo CreateCulture()
    {
        // Built from the invariant culture so that output does not depend on the machine's ICU data.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = "";
        return CultureInfo.ReadOnly(culture);
    }
}
