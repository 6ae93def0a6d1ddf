using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>Whose record, which selection, and when: what both exports state before the entries.</summary>
/// <param name="PatientName">The full name, or null when Records has not learned it (the PDF then says "Пациент").</param>
/// <param name="LimitedToDelegation">A representative with a limited delegation exported: only what it opens is there.</param>
public sealed record ExportHeader(
    string? PatientName,
    DateOnly? BirthDate,
    RecordFilter Filter,
    IReadOnlyList<ExportItem> Items,
    bool LimitedToDelegation,
    DateTimeOffset GeneratedAt)
{
    public const string Title = "Выписка из медицинской карты";

    public string Period => ExportText.Period(Filter);

    /// <summary>"Сформировано 22.11.2026 10:15 (МСК)".</summary>
    public string Generated => $"Сформировано {ExportText.DateTime(GeneratedAt)} (МСК)";

    /// <summary>The filters beyond the period, one line each ("Виды записей: Приём, Лабораторный анализ").</summary>
    public IReadOnlyList<string> FilterLines()
    {
        var lines = new List<string>();
        if (Filter.Kinds is { Count: > 0 } kinds)
        {
            lines.Add("Виды записей: " + string.Join(", ", kinds.Select(ExportText.Kind)));
        }
        if (Filter.OrganizationId is { } organizationId)
        {
            // The name as the selection carries it; an organization with nothing selected is named by its id.
            var name = Items.FirstOrDefault(i => i.OrganizationId == organizationId)?.OrganizationName;
            lines.Add("Организация: " + (name ?? organizationId.ToString()));
        }
        if (!string.IsNullOrEmpty(Filter.DoctorId))
        {
            var doctor = Items.FirstOrDefault(i => i.DoctorId == Filter.DoctorId && i.DoctorName is not null);
            lines.Add("Врач: " + (doctor is null ? Filter.DoctorId
                : doctor.Specialty is null ? doctor.DoctorName : $"{doctor.DoctorName} ({doctor.Specialty})"));
        }
        if (LimitedToDelegation)
        {
            lines.Add("Выписка сформирована представителем по ограниченной доверенности: " +
                      "в неё вошли только результаты анализов и исследований.");
        }
        return lines;
    }
}
