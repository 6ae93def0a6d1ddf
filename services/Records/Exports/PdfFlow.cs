using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>A column of a <see cref="PdfFlow.Table"/>: its header and its share of the text width.</summary>
public sealed record PdfColumn(string Header, double Share);

/// <summary>A row of a <see cref="PdfFlow.Table"/>; an emphasized row is printed in bold red (a value out of range).</summary>
public sealed record PdfRow(IReadOnlyList<string> Cells, bool Emphasized = false);

/// <summary>
/// Flows text down the A4 pages of a PDFsharp document, top to bottom: wraps long text at word boundaries (breaking a
/// word only when it alone is wider than the line), starts a new page when the next line or table row does not fit,
/// repeats a table's header on each page it continues on, and numbers the pages once all of them exist.
/// PDFsharp draws and embeds; the layout (wrapping, page breaks, tables) is ours because PDFsharp has none
/// (MigraDoc, which has, is not served here).
/// </summary>
public sealed class PdfFlow : IDisposable
{
    /// <summary>A4 in points.</summary>
    public const double A4Width = 595.28, A4Height = 841.89;

    private const double Margin = 42; // ≈ 15 mm
    private const double FooterHeight = 24;
    private const double CellPadding = 3;

    private static readonly XPen RulePen = new(Gray(0.69), 0.5);
    private static readonly XBrush HeaderFill = new XSolidBrush(Gray(0.93));
    private static readonly XBrush FooterBrush = new XSolidBrush(Gray(0.45));
    private static readonly XBrush EmphasisBrush = new XSolidBrush(XColor.FromArgb(0xB0, 0x00, 0x20));

    private readonly PdfDocument _document;
    private XGraphics _graphics = null!;
    private double _y;

    public PdfFlow(PdfDocument document)
    {
        _document = document;
        NewPage();
    }

    /// <summary>Width available to text between the margins.</summary>
    public static double TextWidth => A4Width - 2 * Margin;

    private static double Bottom => A4Height - Margin - FooterHeight;

    public static XColor Gray(double level)
    {
        var value = (int)Math.Round(level * 255);
        return XColor.FromArgb(value, value, value);
    }

    /// <summary>Writes <paramref name="text"/> wrapped to the text width (less <paramref name="indent"/>); "\n" starts a new line.</summary>
    public void Paragraph(string text, PdfFlowFont font, double indent = 0, XBrush? brush = null, double spaceAfter = 2)
    {
        foreach (var line in Wrap(text, font, TextWidth - indent))
        {
            EnsureRoom(font.LineHeight);
            DrawText(_graphics, line, font, Margin + indent, _y, brush ?? XBrushes.Black);
            _y += font.LineHeight;
        }
        _y += spaceAfter;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one (keeps a heading with what follows).</summary>
    public void EnsureRoom(double height)
    {
        if (_y + height > Bottom) NewPage();
    }

    public void Space(double height) => _y = Math.Min(_y + height, Bottom);

    /// <summary>A thin line across the text width.</summary>
    public void Rule(double spaceAround = 4)
    {
        _y += spaceAround;
        EnsureRoom(1);
        _graphics.DrawLine(RulePen, Margin, _y, A4Width - Margin, _y);
        _y += spaceAround;
    }

    /// <summary>A table across the text width (less <paramref name="indent"/>); cells wrap, rows never split across pages.</summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<PdfRow> rows, PdfFlowFont headerFont, PdfFlowFont font,
        PdfFlowFont emphasisFont, double indent = 0)
    {
        var totalShare = columns.Sum(c => c.Share);
        var widths = columns.Select(c => (TextWidth - indent) * c.Share / totalShare).ToArray();
        var header = WrapCells(columns.Select(c => c.Header).ToList(), widths, headerFont);

        // A header alone at the foot of a page says nothing: keep it with (at least) a first row.
        EnsureRoom(RowHeight(header, headerFont) + 2 * font.LineHeight + 2 * CellPadding);
        DrawRow(header, widths, headerFont, indent, HeaderFill, XBrushes.Black);
        foreach (var row in rows)
        {
            var rowFont = row.Emphasized ? emphasisFont : font;
            var cells = WrapCells(row.Cells, widths, rowFont);
            if (_y + RowHeight(cells, rowFont) > Bottom)
            {
                NewPage();
                DrawRow(header, widths, headerFont, indent, HeaderFill, XBrushes.Black);
            }
            DrawRow(cells, widths, rowFont, indent, null, row.Emphasized ? EmphasisBrush : XBrushes.Black);
        }
        _y += 4;
    }

    /// <summary>Writes <paramref name="label"/>(page, pages) at the foot of every page; call once, after the last content.</summary>
    public void NumberPages(Func<int, int, string> label, string leftFooter, PdfFlowFont font)
    {
        _graphics.Dispose();
        var pages = _document.Pages;
        for (var index = 0; index < pages.Count; index++)
        {
            using var graphics = XGraphics.FromPdfPage(pages[index], XGraphicsPdfPageOptions.Append);
            var top = A4Height - Margin - font.LineHeight;
            graphics.DrawLine(RulePen, Margin, top - 6, A4Width - Margin, top - 6);
            DrawText(graphics, leftFooter, font, Margin, top, FooterBrush);
            var text = label(index + 1, pages.Count);
            DrawText(graphics, text, font, A4Width - Margin - font.Measure(text), top, FooterBrush);
        }
        _graphics = XGraphics.FromPdfPage(pages[^1], XGraphicsPdfPageOptions.Append);
    }

    public void Dispose() => _graphics.Dispose();

    /// <summary>The lines <paramref name="text"/> takes at <paramref name="width"/>; each word is measured once.</summary>
    public static IReadOnlyList<string> Wrap(string text, PdfFlowFont font, double width)
    {
        var lines = new List<string>();
        var space = font.SpaceWidth;
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (font.Measure(paragraph) <= width)
            {
                lines.Add(paragraph.TrimEnd());
                continue;
            }

            var line = new StringBuilder();
            var lineWidth = 0.0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = font.Measure(word);
                if (line.Length > 0 && lineWidth + space + wordWidth <= width)
                {
                    line.Append(' ').Append(word);
                    lineWidth += space + wordWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                // A word wider than the line (a long code, a link): cut it where the line ends.
                var rest = word;
                while (font.Measure(rest) > width && rest.Length > 1)
                {
                    var cut = FittingPrefixLength(rest, font, width);
                    lines.Add(rest[..cut]);
                    rest = rest[cut..];
                }
                line.Append(rest);
                lineWidth = font.Measure(rest);
            }
            if (line.Length > 0) lines.Add(line.ToString());
        }
        return lines;
    }

    private static int FittingPrefixLength(string word, PdfFlowFont font, double width)
    {
        var (low, high) = (1, word.Length);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (font.Measure(word[..middle]) <= width) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    private static void DrawText(XGraphics graphics, string text, PdfFlowFont font, double x, double top, XBrush brush)
    {
        if (text.Length == 0) return;
        graphics.DrawString(text, font.Font, brush, x, top, XStringFormats.TopLeft);
    }

    private static List<IReadOnlyList<string>> WrapCells(IReadOnlyList<string> cells, double[] widths, PdfFlowFont font) =>
        Enumerable.Range(0, widths.Length)
            .Select(i => Wrap(i < cells.Count ? cells[i] : "", font, widths[i] - 2 * CellPadding))
            .ToList();

    private static double RowHeight(List<IReadOnlyList<string>> cells, PdfFlowFont font) =>
        cells.Max(c => c.Count) * font.LineHeight + 2 * CellPadding;

    private void DrawRow(List<IReadOnlyList<string>> cells, double[] widths, PdfFlowFont font, double indent, XBrush? fill,
        XBrush textBrush)
    {
        var height = RowHeight(cells, font);
        EnsureRoom(height);

        var left = Margin + indent;
        var width = widths.Sum();
        if (fill is not null)
        {
            _graphics.DrawRectangle(fill, left, _y, width, height);
        }
        var x = left;
        for (var i = 0; i < widths.Length; i++)
        {
            var y = _y + CellPadding;
            foreach (var line in cells[i])
            {
                DrawText(_graphics, line, font, x + CellPadding, y, textBrush);
                y += font.LineHeight;
            }
            x += widths[i];
        }
        _y += height;
        _graphics.DrawLine(RulePen, left, _y, left + width, _y);
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(A4Width);
        page.Height = XUnit.FromPoint(A4Height);
        _graphics = XGraphics.FromPdfPage(page);
        _y = Margin;
    }
}

/// <summary>
/// A font at a size, as text is drawn and measured with: one per face and size for a whole document, with its line
/// height computed once and a graphics context of its own for measuring (PDFsharp measures through one).
/// </summary>
public sealed class PdfFlowFont
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    private readonly XGraphics _measure;
    private readonly Dictionary<string, double> _widths = new(StringComparer.Ordinal);

    public PdfFlowFont(XGraphics measure, double size, bool bold)
    {
        _measure = measure;
        Font = new XFont(ExportFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);
        LineHeight = Font.GetHeight();
        SpaceWidth = Measure(" ");
    }

    public XFont Font { get; }

    /// <summary>Distance between the baselines of two lines, in points.</summary>
    public double LineHeight { get; }

    public double SpaceWidth { get; }

    /// <summary>The width of <paramref name="text"/>; a document repeats its words (units, names, headers), so each is measured once.</summary>
    public double Measure(string text)
    {
        if (text.Length == 0) return 0;
        if (!_widths.TryGetValue(text, out var width))
        {
            width = _measure.MeasureString(text, Font).Width;
            _widths[text] = width;
        }
        return width;
    }
}
