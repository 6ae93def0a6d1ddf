using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>A labelled line of an item's details as the PDF prints it ("Заключение: ...").</summary>
public sealed record DetailLine(string Label, string Text);

/// <summary>The kind-specific details of an item (Domain/RecordDetails.cs), in Russian.</summary>
public static class ExportDetails
{
    public static IReadOnlyList<DetailLine> Describe(ExportItem item)
    {
        var lines = new List<DetailLine>();
        switch (item.Kind)
        {
            case RecordItemKinds.Visit:
                var visit = RecordDetails.Deserialize<VisitDetails>(item.Details);
                Add(lines, "Вид приёма", ExportText.VisitKind(visit.VisitKind));
                Add(lines, "Диагнозы", Diagnoses(visit.Diagnoses));
                Add(lines, "Заключение", visit.Conclusion);
                break;
            case RecordItemKinds.LabResult or RecordItemKinds.DiagnosticResult:
                var result = RecordDetails.Deserialize<ResultDetails>(item.Details);
                Add(lines, "Заключение", result.Conclusion);
                Add(lines, "Комментарий", result.Comment);
                break;
            case RecordItemKinds.Protocol or RecordItemKinds.Discharge:
                var document = RecordDetails.Deserialize<DocumentDetails>(item.Details);
                if (document.AdmittedAt is { } admitted)
                {
                    Add(lines, "Госпитализация", document.DischargedAt is { } discharged
                        ? $"с {ExportText.Date(admitted)} по {ExportText.Date(discharged)}"
                        : $"с {ExportText.Date(admitted)}");
                }
                Add(lines, "Диагнозы", Diagnoses(document.Diagnoses));
                foreach (var section in document.Sections)
                {
                    Add(lines, section.Title, section.Text);
                }
                Add(lines, "Данные осмотра", document.Findings);
                Add(lines, "Назначения", document.Prescriptions);
                Add(lines, "Рекомендации", document.Recommendations);
                Add(lines, "Наблюдение", document.FollowUp);
                break;
            case RecordItemKinds.PreventiveExam:
                var exam = RecordDetails.Deserialize<PreventiveExamDetails>(item.Details);
                Add(lines, "Программа", exam.Stage is { } stage
                    ? $"{ExportText.PreventiveProgram(exam.Program)}, этап {stage}"
                    : ExportText.PreventiveProgram(exam.Program));
                Add(lines, "Статус", ExportText.PreventiveStatus(exam.ExamStatus));
                if (exam.PlannedOn is { } planned) Add(lines, "Запланирован на", ExportText.Date(planned));
                if (exam.CompletedOn is { } completed) Add(lines, "Пройден", ExportText.Date(completed));
                Add(lines, "Группа здоровья", exam.HealthGroup);
                foreach (var step in exam.Steps)
                {
                    var done = step.DoneOn is { } on ? $" ({ExportText.Date(on)})" : "";
                    Add(lines, step.Name, (step.Result ?? "") + done);
                }
                Add(lines, "Рекомендации", exam.Recommendations);
                break;
        }
        return lines;
    }

    /// <summary>The one sentence a CSV row of a non-result item carries: its conclusion or recommendations.</summary>
    public static string? Conclusion(ExportItem item) => item.Kind switch
    {
        RecordItemKinds.Visit => RecordDetails.Deserialize<VisitDetails>(item.Details).Conclusion,
        RecordItemKinds.LabResult or RecordItemKinds.DiagnosticResult =>
            RecordDetails.Deserialize<ResultDetails>(item.Details) is var result ? result.Conclusion ?? result.Comment : null,
        RecordItemKinds.Protocol or RecordItemKinds.Discharge =>
            RecordDetails.Deserialize<DocumentDetails>(item.Details) is var document ? document.Recommendations ?? document.Findings : null,
        RecordItemKinds.PreventiveExam => RecordDetails.Deserialize<PreventiveExamDetails>(item.Details).Recommendations,
        _ => null,
    };

    /// <summary>"J06.9 Острая инфекция верхних дыхательных путей (основной); I10 Эссенциальная гипертензия".</summary>
    private static string Diagnoses(IReadOnlyList<Diagnosis> diagnoses) =>
        string.Join("; ", diagnoses.Select(d => $"{d.Code} {d.Name}".Trim() + (d.Primary ? " (основной)" : "")));

    private static void Add(List<DetailLine> lines, string label, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text)) lines.Add(new DetailLine(label, text.Trim()));
    }
}
