using Gosuslugi.Health.Printing;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>
/// The PDF "Выписка из медицинской карты" (PDFsharp): A4, Russian, DejaVu Sans embedded (subsets), the patient and the selection
/// first, then each item newest first with its details and, for results, a table of values; "Стр. N из M" below.
/// </summary>
public static class HistoryPdf
{
    public const string ContentType = "application/pdf";
    public const string Creator = "Госуслуги.Здоровье";

    private static readonly XBrush GeneratedBrush = new XSolidBrush(PdfFlow.Gray(0.35));

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
        PdfFonts.EnsureRegistered();
        using var document = new PdfDocument();
        using var measure = XGraphics.CreateMeasureContext(new XSize(PdfFlow.A4Width, PdfFlow.A4Height), XGraphicsUnit.Point, XPageDirection.Downwards);
        var fonts = new Fonts(measure);
        using var flow = new PdfFlow(document);

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

        document.Info.Title = header.PatientName is null ? ExportHeader.Title : $"{ExportHeader.Title}: {header.PatientName}";
        document.Info.Subject = $"Записи {header.Period}";
        document.Info.Creator = Creator;
        document.Info.CreationDate = header.GeneratedAt.UtcDateTime;
        document.Language = "ru-RU";
        // PDFsharp asks the stream for its position (the cross-reference table's offsets); a response buffer cannot seek.
        document.Save(output.CanSeek ? output : new PositionCountingStream(output), closeStream: false);
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
        flow.Paragraph(header.Generated, fonts.Regular, brush: GeneratedBrush);
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

    /// <summary>The faces and sizes the export uses, made once per document.</summary>
    private sealed class Fonts(XGraphics measure)
    {
        public PdfFlowFont Title { get; } = new(measure, 15, bold: true);
        public PdfFlowFont Subtitle { get; } = new(measure, 11, bold: true);
        public PdfFlowFont Bold { get; } = new(measure, 9.5, bold: true);
        public PdfFlowFont Regular { get; } = new(measure, 9, bold: false);
        public PdfFlowFont Small { get; } = new(measure, 7.5, bold: false);
        public PdfFlowFont TableHeader { get; } = new(measure, 8, bold: true);
        public PdfFlowFont Table { get; } = new(measure, 8, bold: false);
        public PdfFlowFont TableEmphasis { get; } = new(measure, 8, bold: true);
    }

    /// <summary>Passes writes through to a forward-only stream and counts them, which is the position PDFsharp asks for.</summary>
    private sealed class PositionCountingStream(Stream inner) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _written += buffer.Length;
        }

        public override void WriteByte(byte value)
        {
            inner.WriteByte(value);
            _written++;
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
