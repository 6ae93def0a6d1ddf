using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Gosuslugi.Health.Printing;

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
/// A page is collected first and drawn when it is complete, in three layers: table headers, then text, then rules.
/// Drawn in reading order, every table row would switch PDFsharp between text and graphics (a rule below each row),
/// which ends and restarts the text object; in layers a page is one text object and a smaller file.
/// A table's header is drawn once per document into a form (a PDF XObject) that each table then places: a document
/// repeats the same header above every result, and placing it costs one operator instead of a dozen.
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
    private readonly List<(string Text, PdfFlowFont Font, double X, double Top, XBrush Brush)> _texts = [];
    private readonly List<(double Left, double Right, double Y)> _rules = [];
    private readonly List<(XForm Form, double X, double Y)> _forms = [];
    private readonly Dictionary<(IReadOnlyList<PdfColumn>, double, PdfFlowFont), XForm> _headers = [];
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
            AddText(line, font, Margin + indent, _y, brush ?? XBrushes.Black);
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
        _rules.Add((Margin, A4Width - Margin, _y));
        _y += spaceAround;
    }

    /// <summary>A table across the text width (less <paramref name="indent"/>); cells wrap, rows never split across pages.</summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<PdfRow> rows, PdfFlowFont headerFont, PdfFlowFont font,
        PdfFlowFont emphasisFont, double indent = 0)
    {
        var totalShare = columns.Sum(c => c.Share);
        var widths = columns.Select(c => (TextWidth - indent) * c.Share / totalShare).ToArray();
        var header = HeaderForm(columns, widths, headerFont, indent);

        // A header alone at the foot of a page says nothing: keep it with (at least) a first row.
        EnsureRoom(header.PointHeight + 2 * font.LineHeight + 2 * CellPadding);
        PlaceHeader(header, indent);
        foreach (var row in rows)
        {
            var rowFont = row.Emphasized ? emphasisFont : font;
            var cells = WrapCells(row.Cells, widths, rowFont);
            if (_y + RowHeight(cells, rowFont) > Bottom)
            {
                NewPage();
                PlaceHeader(header, indent);
            }
            DrawRow(cells, widths, rowFont, indent, row.Emphasized ? EmphasisBrush : XBrushes.Black);
        }
        _y += 4;
    }

    /// <summary>Writes <paramref name="label"/>(page, pages) at the foot of every page; call once, after the last content.</summary>
    public void NumberPages(Func<int, int, string> label, string leftFooter, PdfFlowFont font)
    {
        DrawPage();
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

    public void Dispose()
    {
        DrawPage();
        _graphics.Dispose();
    }

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

    private void AddText(string text, PdfFlowFont font, double x, double top, XBrush brush)
    {
        if (text.Length > 0) _texts.Add((text, font, x, top, brush));
    }

    /// <summary>Draws what the current page collected, layer by layer, and forgets it.</summary>
    private void DrawPage()
    {
        foreach (var (form, x, y) in _forms) _graphics.DrawImage(form, x, y);
        foreach (var (text, font, x, top, brush) in _texts) DrawText(_graphics, text, font, x, top, brush);
        foreach (var (left, right, y) in _rules) _graphics.DrawLine(RulePen, left, y, right, y);
        _forms.Clear();
        _texts.Clear();
        _rules.Clear();
    }

    private static List<IReadOnlyList<string>> WrapCells(IReadOnlyList<string> cells, double[] widths, PdfFlowFont font) =>
        Enumerable.Range(0, widths.Length)
            .Select(i => Wrap(i < cells.Count ? cells[i] : "", font, widths[i] - 2 * CellPadding))
            .ToList();

    /// <summary>Where each line of each cell of a row whose top left corner is (<paramref name="left"/>, <paramref name="top"/>) goes.</summary>
    private static IEnumerable<(string Line, double X, double Top)> CellLines(List<IReadOnlyList<string>> cells, double[] widths,
        PdfFlowFont font, double left, double top)
    {
        var x = left;
        for (var i = 0; i < widths.Length; i++)
        {
            var y = top + CellPadding;
            foreach (var line in cells[i])
            {
                yield return (line, x + CellPadding, y);
                y += font.LineHeight;
            }
            x += widths[i];
        }
    }

    private static double RowHeight(List<IReadOnlyList<string>> cells, PdfFlowFont font) =>
        cells.Max(c => c.Count) * font.LineHeight + 2 * CellPadding;

    private void DrawRow(List<IReadOnlyList<string>> cells, double[] widths, PdfFlowFont font, double indent, XBrush textBrush)
    {
        var height = RowHeight(cells, font);
        EnsureRoom(height);

        var left = Margin + indent;
        foreach (var (line, x, top) in CellLines(cells, widths, font, left, _y))
        {
            AddText(line, font, x, top, textBrush);
        }
        _y += height;
        _rules.Add((left, left + widths.Sum(), _y));
    }

    /// <summary>The header of a table with these columns as a form: a shaded row of wrapped bold headings and its rule.</summary>
    private XForm HeaderForm(IReadOnlyList<PdfColumn> columns, double[] widths, PdfFlowFont font, double indent)
    {
        if (_headers.TryGetValue((columns, indent, font), out var cached)) return cached;

        var cells = WrapCells(columns.Select(c => c.Header).ToList(), widths, font);
        var (width, height) = (widths.Sum(), RowHeight(cells, font));
        var form = new XForm(_document, new XRect(0, 0, width, height + RulePen.Width));
        using (var graphics = XGraphics.FromForm(form))
        {
            graphics.DrawRectangle(HeaderFill, 0, 0, width, height);
            foreach (var (line, x, top) in CellLines(cells, widths, font, 0, 0))
            {
                DrawText(graphics, line, font, x, top, XBrushes.Black);
            }
            graphics.DrawLine(RulePen, 0, height, width, height);
        }
        _headers[(columns, indent, font)] = form;
        return form;
    }

    private void PlaceHeader(XForm header, double indent)
    {
        var height = header.PointHeight - RulePen.Width;
        EnsureRoom(height);
        _forms.Add((header, Margin + indent, _y));
        _y += height;
    }

    private void NewPage()
    {
        if (_graphics is not null)
        {
            DrawPage();
            _graphics.Dispose();
        }
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
        Font = new XFont(PdfFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);
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
