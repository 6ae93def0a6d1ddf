using Gosuslugi.Health.Records.Exports.Pdf;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>A column of a <see cref="PdfFlow.Table"/>: its header and its share of the text width.</summary>
public sealed record PdfColumn(string Header, double Share);

/// <summary>A row of a <see cref="PdfFlow.Table"/>; an emphasized row is printed in bold red (a value out of range).</summary>
public sealed record PdfRow(IReadOnlyList<string> Cells, bool Emphasized = false);

/// <summary>
/// Flows text down A4 pages, top to bottom: wraps long text at word boundaries (breaking a word only when it alone is
/// wider than the line), starts a new page when the next line or table row does not fit, repeats a table's header on
/// each page it continues on, and numbers the pages once all of them exist.
/// </summary>
public sealed class PdfFlow
{
    private const double Margin = 42; // ≈ 15 mm
    private const double FooterHeight = 24;
    private const double CellPadding = 3;

    private static readonly PdfColor RuleColor = PdfColor.Gray(0.69);
    private static readonly PdfColor HeaderFill = PdfColor.Gray(0.93);
    private static readonly PdfColor FooterColor = PdfColor.Gray(0.45);
    private static readonly PdfColor EmphasisColor = PdfColor.FromRgb(0xB0, 0x00, 0x20);

    private readonly PdfDocumentWriter _document;
    private PdfPage _page = null!;
    private double _y;

    public PdfFlow(PdfDocumentWriter document)
    {
        _document = document;
        NewPage();
    }

    /// <summary>Width available to text between the margins.</summary>
    public double TextWidth => _page.Width - 2 * Margin;

    private double Bottom => _page.Height - Margin - FooterHeight;

    /// <summary>Writes <paramref name="text"/> wrapped to the text width (less <paramref name="indent"/>); "\n" starts a new line.</summary>
    public void Paragraph(string text, PdfFont font, double indent = 0, PdfColor? color = null, double spaceAfter = 2)
    {
        foreach (var line in Wrap(text, font, TextWidth - indent))
        {
            EnsureRoom(font.LineHeight);
            _page.DrawText(line, font, Margin + indent, _y, color ?? PdfColor.Black);
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
        _page.DrawLine(Margin, _y, _page.Width - Margin, _y, 0.5, RuleColor);
        _y += spaceAround;
    }

    /// <summary>A table across the text width (less <paramref name="indent"/>); cells wrap, rows never split across pages.</summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<PdfRow> rows, PdfFont headerFont, PdfFont font,
        PdfFont emphasisFont, double indent = 0)
    {
        var totalShare = columns.Sum(c => c.Share);
        var widths = columns.Select(c => (TextWidth - indent) * c.Share / totalShare).ToArray();
        var header = WrapCells(columns.Select(c => c.Header).ToList(), widths, headerFont);

        // A header alone at the foot of a page says nothing: keep it with (at least) a first row.
        EnsureRoom(RowHeight(header, headerFont) + 2 * font.LineHeight + 2 * CellPadding);
        DrawRow(header, widths, headerFont, indent, HeaderFill, PdfColor.Black);
        foreach (var row in rows)
        {
            var rowFont = row.Emphasized ? emphasisFont : font;
            var cells = WrapCells(row.Cells, widths, rowFont);
            if (_y + RowHeight(cells, rowFont) > Bottom)
            {
                NewPage();
                DrawRow(header, widths, headerFont, indent, HeaderFill, PdfColor.Black);
            }
            DrawRow(cells, widths, rowFont, indent, null, row.Emphasized ? EmphasisColor : PdfColor.Black);
        }
        _y += 4;
    }

    /// <summary>Writes <paramref name="label"/>(page, pages) at the foot of every page; call once, after the last content.</summary>
    public void NumberPages(Func<int, int, string> label, string leftFooter, PdfFont font)
    {
        var pages = _document.Pages;
        for (var index = 0; index < pages.Count; index++)
        {
            var page = pages[index];
            var top = page.Height - Margin - font.LineHeight;
            page.DrawLine(Margin, top - 6, page.Width - Margin, top - 6, 0.5, RuleColor);
            page.DrawText(leftFooter, font, Margin, top, FooterColor);
            page.DrawTextRightAligned(label(index + 1, pages.Count), font, page.Width - Margin, top, FooterColor);
        }
    }

    /// <summary>The lines <paramref name="text"/> takes at <paramref name="width"/>; each word is measured once.</summary>
    public static IReadOnlyList<string> Wrap(string text, PdfFont font, double width)
    {
        var lines = new List<string>();
        var space = font.Measure(" ");
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (font.Measure(paragraph) <= width)
            {
                lines.Add(paragraph.TrimEnd());
                continue;
            }

            var line = new System.Text.StringBuilder();
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

    private static int FittingPrefixLength(string word, PdfFont font, double width)
    {
        var (low, high) = (1, word.Length);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (font.Measure(word.AsSpan(0, middle)) <= width) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    private static List<IReadOnlyList<string>> WrapCells(IReadOnlyList<string> cells, double[] widths, PdfFont font) =>
        Enumerable.Range(0, widths.Length)
            .Select(i => Wrap(i < cells.Count ? cells[i] : "", font, widths[i] - 2 * CellPadding))
            .ToList();

    private static double RowHeight(List<IReadOnlyList<string>> cells, PdfFont font) =>
        cells.Max(c => c.Count) * font.LineHeight + 2 * CellPadding;

    private void DrawRow(List<IReadOnlyList<string>> cells, double[] widths, PdfFont font, double indent, PdfColor? fill,
        PdfColor textColor)
    {
        var height = RowHeight(cells, font);
        EnsureRoom(height);

        var left = Margin + indent;
        if (fill is { } background)
        {
            _page.FillRectangle(left, _y, widths.Sum(), height, background);
        }
        var x = left;
        for (var i = 0; i < widths.Length; i++)
        {
            var y = _y + CellPadding;
            foreach (var line in cells[i])
            {
                _page.DrawText(line, font, x + CellPadding, y, textColor);
                y += font.LineHeight;
            }
            x += widths[i];
        }
        _y += height;
        _page.DrawLine(left, _y, left + widths.Sum(), _y, 0.5, RuleColor);
    }

    private void NewPage()
    {
        _page = _document.AddPage();
        _y = Margin;
    }
}
