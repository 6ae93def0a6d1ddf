using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.Records.Exports.Pdf;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>
/// The PDF "Выписка из медицинской карты": A4, Russian, DejaVu Sans embedded (subsets), the patient and the selection
/// first, then each item newest first with its details and, for results, a table of values; "Стр. N из M" below.
/// </summary>
public static class HistoryPdf
{
    public const string ContentType = "application/pdf";
    public const string Creator = "Госуслуги.Здоровье";

    private static readonly PdfColumn[] ValueColumns =
    [
        new("Показатель", 34),
        new("Значение", 14),
        new("Ед. изм.", 12),
        new("Референсный интервал", 20),
        new("Оценка", 20),
    ];

    /// <summary>Renders the export into <paramref name="output"/> (written synchronously, once the document is complete).</summary>
    public static async Task RenderAsync(ExportHeader header, IAsyncEnumerable<ExportEntry> entries, Stream output,
        CancellationToken ct)
    {
        var fonts = new Fonts();
        var document = new PdfDocumentWriter();
        var flow = new PdfFlow(document);

        WriteHeader(flow, header, fonts);
        var count = 0;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            WriteEntry(flow, entry, fonts);
            count++;
        }
        if (count == 0)
        {
            flow.Paragraph("Записей, соответствующих условиям выписки, нет.", fonts.Regular);
        }

        var footer = header.PatientName is null ? ExportHeader.Title : $"{ExportHeader.Title} · {header.PatientName}";
        flow.NumberPages((page, pages) => $"Стр. {page} из {pages}", footer, fonts.Small);

        var title = header.PatientName is null ? ExportHeader.Title : $"{ExportHeader.Title}: {header.PatientName}";
        document.Save(output, new PdfInfo(title, $"Записи {header.Period}", Creator, header.GeneratedAt, "ru-RU"));
    }

    private static void WriteHeader(PdfFlow flow, ExportHeader header, Fonts fonts)
    {
        flow.Paragraph(ExportHeader.Title, fonts.Title, spaceAfter: 6);
        var patient = header.PatientName is null
            ? "Пациент"
            : header.BirthDate is { } birthDate
                ? $"{header.PatientName}, дата рождения {ExportText.Date(birthDate)}"
                : header.PatientName;
        flow.Paragraph(patient, fonts.Subtitle, spaceAfter: 4);
        flow.Paragraph($"Записи {header.Period}", fonts.Regular);
        foreach (var line in header.FilterLines())
        {
            flow.Paragraph(line, fonts.Regular);
        }
        flow.Paragraph($"Всего записей: {header.Items.Count}", fonts.Regular);
        flow.Paragraph(header.Generated, fonts.Regular, color: PdfColor.Gray(0.35));
        flow.Rule(6);
    }

    private static void WriteEntry(PdfFlow flow, ExportEntry entry, Fonts fonts)
    {
        var item = entry.Item;
        // The date, kind and title stay together with the first lines below them.
        flow.EnsureRoom(fonts.Bold.LineHeight * 2 + fonts.Regular.LineHeight * 3);
        flow.Paragraph($"{ExportText.DateTime(item.EffectiveAt)} · {ExportText.Kind(item.Kind)}", fonts.Bold, spaceAfter: 0);
        flow.Paragraph(item.Title, fonts.Bold);

        var organization = item.DepartmentName is null ? item.OrganizationName : $"{item.OrganizationName}, {item.DepartmentName}";
        flow.Paragraph($"Организация: {organization}", fonts.Regular, spaceAfter: 0);
        if (item.DoctorName is not null || item.Specialty is not null)
        {
            var doctor = string.Join(", ", new[] { item.DoctorName, item.Specialty }.Where(s => !string.IsNullOrWhiteSpace(s)));
            flow.Paragraph($"Врач: {doctor}", fonts.Regular, spaceAfter: 0);
        }
        var details = ExportDetails.Describe(item);
        foreach (var line in details)
        {
            flow.Paragraph($"{line.Label}: {line.Text}", fonts.Regular, spaceAfter: 0);
        }

        if (entry.Values.Count > 0)
        {
            flow.Space(4);
            flow.Table(ValueColumns, entry.Values.Select(ValueRow), fonts.TableHeader, fonts.Table, fonts.TableEmphasis);
        }
        else if (RecordItemKinds.IsResult(item.Kind) && details.Count == 0)
        {
            flow.Paragraph("Значения не переданы.", fonts.Regular, spaceAfter: 0);
        }
        flow.Rule();
    }

    private static PdfRow ValueRow(ExportValue value)
    {
        var name = value.Comment is { Length: > 0 } comment ? $"{value.AnalyteName}\n{comment}" : value.AnalyteName;
        return new PdfRow(
            [name, ExportText.Value(value), value.Unit ?? "", ExportText.ReferenceRange(value), ExportText.Interpretation(value.Interpretation)],
            Interpretations.IsAbnormal(value.Interpretation));
    }

    /// <summary>The faces and sizes the export uses.</summary>
    private sealed class Fonts
    {
        public PdfFont Title { get; } = new(ExportFonts.Bold, 15);
        public PdfFont Subtitle { get; } = new(ExportFonts.Bold, 11);
        public PdfFont Bold { get; } = new(ExportFonts.Bold, 9.5);
        public PdfFont Regular { get; } = new(ExportFonts.Regular, 9);
        public PdfFont Small { get; } = new(ExportFonts.Regular, 7.5);
        public PdfFont TableHeader { get; } = new(ExportFonts.Bold, 8);
        public PdfFont Table { get; } = new(ExportFonts.Regular, 8);
        public PdfFont TableEmphasis { get; } = new(ExportFonts.Bold, 8);
    }
}
