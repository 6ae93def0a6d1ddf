using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Gosuslugi.Health.Records.Exports.Pdf;

/// <summary>An RGB colour with components from 0 to 1.</summary>
public readonly record struct PdfColor(double Red, double Green, double Blue)
{
    public static readonly PdfColor Black = new(0, 0, 0);

    public static PdfColor Gray(double level) => new(level, level, level);

    public static PdfColor FromRgb(byte red, byte green, byte blue) => new(red / 255.0, green / 255.0, blue / 255.0);
}

/// <summary>A font at a size, as text is drawn and measured with.</summary>
public sealed record PdfFont(TrueTypeFont Face, double Size)
{
    /// <summary>Distance between the baselines of two lines, in points.</summary>
    public double LineHeight => (Face.Ascender - Face.Descender + Face.LineGap) * Size / Face.UnitsPerEm;

    /// <summary>From the top of a line to its baseline, in points.</summary>
    public double Ascent => Face.Ascender * Size / Face.UnitsPerEm;

    public double Measure(ReadOnlySpan<char> text) => Face.Measure(text, Size);
}

/// <summary>
/// A page being drawn: coordinates in points from the top left corner (PDF's own origin is the bottom left; the page
/// converts). Text is written with its font's glyph ids (Identity-H), so any character the font has is printable.
/// </summary>
public sealed class PdfPage
{
    private const string Hex = "0123456789ABCDEF";

    private readonly PdfDocumentWriter _document;
    private readonly StringBuilder _content = new();

    internal PdfPage(PdfDocumentWriter document, double width, double height)
    {
        _document = document;
        Width = width;
        Height = height;
    }

    public double Width { get; }

    public double Height { get; }

    internal string Content => _content.ToString();

    /// <summary>Draws <paramref name="text"/> with its top left corner at (<paramref name="x"/>, <paramref name="top"/>).</summary>
    public void DrawText(string text, PdfFont font, double x, double top, PdfColor color)
    {
        if (text.Length == 0) return;
        var resource = _document.Use(font.Face, text, out var glyphs);
        _content.Append(Color(color, "rg"))
            .Append("BT /").Append(resource).Append(' ').Append(Number(font.Size)).Append(" Tf ")
            .Append(Number(x)).Append(' ').Append(Number(Height - top - font.Ascent)).Append(" Td <");
        foreach (var glyph in glyphs)
        {
            _content.Append(Hex[glyph >> 12]).Append(Hex[(glyph >> 8) & 0xF]).Append(Hex[(glyph >> 4) & 0xF]).Append(Hex[glyph & 0xF]);
        }
        _content.Append("> Tj ET\n");
    }

    /// <summary>Draws <paramref name="text"/> so that it ends at <paramref name="right"/>.</summary>
    public void DrawTextRightAligned(string text, PdfFont font, double right, double top, PdfColor color) =>
        DrawText(text, font, right - font.Measure(text), top, color);

    public void DrawLine(double x1, double y1, double x2, double y2, double width, PdfColor color) =>
        _content.Append(Color(color, "RG")).Append(Number(width)).Append(" w ")
            .Append(Number(x1)).Append(' ').Append(Number(Height - y1)).Append(" m ")
            .Append(Number(x2)).Append(' ').Append(Number(Height - y2)).Append(" l S\n");

    public void FillRectangle(double x, double top, double width, double height, PdfColor color) =>
        _content.Append(Color(color, "rg"))
            .Append(Number(x)).Append(' ').Append(Number(Height - top - height)).Append(' ')
            .Append(Number(width)).Append(' ').Append(Number(height)).Append(" re f\n");

    private static string Color(PdfColor color, string operatorName) =>
        $"{Number(color.Red)} {Number(color.Green)} {Number(color.Blue)} {operatorName} ";

    internal static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Document information (the PDF Info dictionary).</summary>
public sealed record PdfInfo(string Title, string? Subject, string Creator, DateTimeOffset CreatedAt, string Language);

/// <summary>
/// A small PDF 1.7 writer for text documents: pages of text, lines and filled rectangles, with TrueType fonts
/// embedded as subsets (CIDFontType2, Identity-H) together with a ToUnicode map, so that the text can be searched,
/// copied and extracted exactly. It exists because the only PDF library this project can get (PDFsharp 6.5) is
/// AGPL-licensed; it covers what the exports draw and nothing more.
/// </summary>
public sealed class PdfDocumentWriter
{
    /// <summary>A4 in points.</summary>
    public const double A4Width = 595.28, A4Height = 841.89;

    private readonly List<PdfPage> _pages = [];
    private readonly Dictionary<TrueTypeFont, FontUse> _fonts = [];

    public IReadOnlyList<PdfPage> Pages => _pages;

    public PdfPage AddPage(double width = A4Width, double height = A4Height)
    {
        var page = new PdfPage(this, width, height);
        _pages.Add(page);
        return page;
    }

    /// <summary>The font's resource name on every page, recording the glyphs <paramref name="text"/> uses.</summary>
    internal string Use(TrueTypeFont face, string text, out List<ushort> glyphs)
    {
        if (!_fonts.TryGetValue(face, out var use))
        {
            use = new FontUse(face, $"F{_fonts.Count + 1}");
            _fonts[face] = use;
        }

        glyphs = new List<ushort>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var glyph = face.GlyphOf(rune.Value);
            glyphs.Add(glyph);
            if (glyph != 0) use.Unicode.TryAdd(glyph, rune.ToString());
        }
        return use.Resource;
    }

    public void Save(Stream output, PdfInfo info)
    {
        var writer = new ObjectWriter(output);
        // Object numbers: 1 catalog, 2 page tree, 3 info, then fonts, then pages with their contents.
        var next = 4;
        var fontObjects = _fonts.Values.Select(f => (Font: f, Type0: next++, CidFont: next++, Descriptor: next++, File: next++, ToUnicode: next++)).ToList();
        var pageObjects = _pages.Select(p => (Page: p, Object: next++, Content: next++)).ToList();

        writer.Header();
        writer.WriteObject(1, "<< /Type /Catalog /Pages 2 0 R /Lang " + TextString(info.Language) + " >>");
        writer.WriteObject(2, "<< /Type /Pages /Kids [" + string.Join(' ', pageObjects.Select(p => $"{p.Object} 0 R")) +
                         $"] /Count {_pages.Count} >>");
        writer.WriteObject(3, "<< /Title " + TextString(info.Title)
                         + (info.Subject is null ? "" : " /Subject " + TextString(info.Subject))
                         + " /Creator " + TextString(info.Creator)
                         + " /Producer " + TextString("Госуслуги.Здоровье, Records")
                         + " /CreationDate " + TextString(DateString(info.CreatedAt)) + " >>");

        var fontResources = string.Join(' ', fontObjects.Select(f => $"/{f.Font.Resource} {f.Type0} 0 R"));
        foreach (var (font, type0, cidFont, descriptor, file, toUnicode) in fontObjects)
        {
            var face = font.Face;
            var name = SubsetTag(font) + "+" + face.PostScriptName;
            var scale = 1000.0 / face.UnitsPerEm;
            writer.WriteObject(type0, $"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H " +
                                 $"/DescendantFonts [{cidFont} 0 R] /ToUnicode {toUnicode} 0 R >>");
            var widths = string.Join(' ', font.Unicode.Keys.Order().Select(g => $"{g} [{Math.Round(face.AdvanceOf(g) * scale)}]"));
            writer.WriteObject(cidFont, $"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} " +
                                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> " +
                                   $"/FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity " +
                                   $"/DW {Math.Round(face.AdvanceOf(0) * scale)} /W [{widths}] >>");
            var box = face.BoundingBox;
            writer.WriteObject(descriptor, $"<< /Type /FontDescriptor /FontName /{name} /Flags 32 " +
                                      $"/FontBBox [{Math.Round(box.XMin * scale)} {Math.Round(box.YMin * scale)} {Math.Round(box.XMax * scale)} {Math.Round(box.YMax * scale)}] " +
                                      $"/ItalicAngle 0 /Ascent {Math.Round(face.Ascender * scale)} /Descent {Math.Round(face.Descender * scale)} " +
                                      $"/CapHeight {Math.Round(face.CapHeight * scale)} /StemV 80 /FontFile2 {file} 0 R >>");
            var subset = face.Subset(font.Unicode.Keys);
            writer.WriteStream(file, subset, $"/Length1 {subset.Length}");
            writer.WriteStream(toUnicode, Encoding.ASCII.GetBytes(ToUnicodeCMap(font)));
        }

        foreach (var (page, pageObject, content) in pageObjects)
        {
            writer.WriteObject(pageObject, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PdfPage.Number(page.Width)} {PdfPage.Number(page.Height)}] " +
                                      $"/Resources << /Font << {fontResources} >> >> /Contents {content} 0 R >>");
            writer.WriteStream(content, Encoding.ASCII.GetBytes(page.Content));
        }

        writer.Trailer(next, rootObject: 1, infoObject: 3);
    }

    /// <summary>Six capital letters that name a subset (ISO 32000 9.6.4), derived from the glyphs it holds.</summary>
    private static string SubsetTag(FontUse font)
    {
        var hash = font.Unicode.Keys.Order().Aggregate(17L, (h, g) => unchecked(h * 31 + g));
        var tag = new char[6];
        for (var i = 0; i < 6; i++)
        {
            tag[i] = (char)('A' + (int)((ulong)hash % 26));
            hash = (long)((ulong)hash / 26);
        }
        return new string(tag);
    }

    private static string ToUnicodeCMap(FontUse font)
    {
        var cmap = new StringBuilder()
            .Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
            .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
            .Append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
            .Append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        foreach (var chunk in font.Unicode.OrderBy(m => m.Key).Chunk(100))
        {
            cmap.Append(chunk.Length).Append(" beginbfchar\n");
            foreach (var (glyph, text) in chunk)
            {
                cmap.Append('<').Append(glyph.ToString("X4", CultureInfo.InvariantCulture)).Append("> <");
                foreach (var unit in text) cmap.Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                cmap.Append(">\n");
            }
            cmap.Append("endbfchar\n");
        }
        return cmap.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").ToString();
    }

    /// <summary>A text string in UTF-16BE with a byte order mark, written in hex (any character, no escaping).</summary>
    private static string TextString(string text)
    {
        var hex = new StringBuilder("<FEFF", 5 + text.Length * 4);
        foreach (var unit in text) hex.Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
        return hex.Append('>').ToString();
    }

    private static string DateString(DateTimeOffset at) =>
        "D:" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    private sealed class FontUse(TrueTypeFont face, string resource)
    {
        public TrueTypeFont Face { get; } = face;

        public string Resource { get; } = resource;

        /// <summary>The glyphs used, with the text each stands for (for ToUnicode).</summary>
        public Dictionary<ushort, string> Unicode { get; } = [];
    }

    /// <summary>Writes numbered objects and remembers their offsets for the cross-reference table.</summary>
    private sealed class ObjectWriter(Stream output)
    {
        private readonly Dictionary<int, long> _offsets = [];
        private long _position;

        public void Header() => Write(HeaderBytes);

        public void WriteObject(int number, string body)
        {
            _offsets[number] = _position;
            Write(Encoding.ASCII.GetBytes($"{number} 0 obj\n{body}\nendobj\n"));
        }

        /// <summary>A stream object, Flate-compressed.</summary>
        public void WriteStream(int number, byte[] data, string extraEntries = "")
        {
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(data);
            }

            _offsets[number] = _position;
            Write(Encoding.ASCII.GetBytes($"{number} 0 obj\n<< /Length {compressed.Length} /Filter /FlateDecode {extraEntries} >>\nstream\n"));
            Write(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
            Write("\nendstream\nendobj\n"u8);
        }

        public void Trailer(int size, int rootObject, int infoObject)
        {
            var xref = _position;
            var table = new StringBuilder().Append("xref\n0 ").Append(size).Append("\n0000000000 65535 f\r\n");
            for (var number = 1; number < size; number++)
            {
                table.Append(_offsets[number].ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n\r\n");
            }
            table.Append($"trailer\n<< /Size {size} /Root {rootObject} 0 R /Info {infoObject} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
            Write(Encoding.ASCII.GetBytes(table.ToString()));
        }

        // A comment with bytes above 127 right after the header tells transfer tools the file is binary.
        private static readonly byte[] HeaderBytes = [.. "%PDF-1.7\n%"u8, 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n'];

        private void Write(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            _position += bytes.Length;
        }
    }
}
