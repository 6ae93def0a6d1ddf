using System.Buffers.Binary;
using System.Collections.Frozen;

namespace Gosuslugi.Health.Records.Exports.Pdf;

/// <summary>
/// The parts of a TrueType font (glyf outlines) that a PDF needs: which glyph draws a character (the Unicode cmap),
/// how wide each glyph is, the font's vertical metrics, and a subset of the font file that keeps only the glyphs a
/// document uses (glyph ids unchanged, so the PDF maps its codes to glyphs one to one).
/// </summary>
public sealed class TrueTypeFont
{
    private readonly byte[] _data;
    private readonly Dictionary<string, (int Offset, int Length)> _tables;
    private readonly FrozenDictionary<int, ushort> _glyphOfCodePoint;
    // Text is almost all in the Basic Multilingual Plane: a flat table makes measuring a lookup per character.
    private readonly ushort[] _bmpGlyphs = new ushort[0x10000];
    private readonly ushort[] _bmpAdvances = new ushort[0x10000];
    private readonly ushort[] _advanceWidths;
    private readonly int _numberOfHMetrics;
    private readonly bool _longLoca;

    public TrueTypeFont(string postScriptName, byte[] data)
    {
        PostScriptName = postScriptName;
        _data = data;
        _tables = ReadTableDirectory(data);

        var head = Table("head");
        UnitsPerEm = U16(head + 18);
        BoundingBox = (I16(head + 36), I16(head + 38), I16(head + 40), I16(head + 42));
        _longLoca = I16(head + 50) == 1;

        var hhea = Table("hhea");
        Ascender = I16(hhea + 4);
        Descender = I16(hhea + 6);
        LineGap = I16(hhea + 8);
        _numberOfHMetrics = U16(hhea + 34);
        GlyphCount = U16(Table("maxp") + 4);

        var hmtx = Table("hmtx");
        _advanceWidths = new ushort[_numberOfHMetrics];
        for (var i = 0; i < _numberOfHMetrics; i++) _advanceWidths[i] = U16(hmtx + i * 4);

        CapHeight = _tables.TryGetValue("OS/2", out var os2) && U16(os2.Offset) >= 2 ? I16(os2.Offset + 88) : Ascender;
        _glyphOfCodePoint = ReadUnicodeCmap();
        for (var c = 0; c < 0x10000; c++)
        {
            _bmpGlyphs[c] = _glyphOfCodePoint.GetValueOrDefault(c);
            _bmpAdvances[c] = (ushort)AdvanceOf(_bmpGlyphs[c]);
        }
    }

    /// <summary>The name the PDF gives the font (its BaseFont).</summary>
    public string PostScriptName { get; }

    public int UnitsPerEm { get; }

    public int Ascender { get; }

    /// <summary>Negative: below the baseline.</summary>
    public int Descender { get; }

    public int LineGap { get; }

    public int CapHeight { get; }

    public int GlyphCount { get; }

    public (int XMin, int YMin, int XMax, int YMax) BoundingBox { get; }

    /// <summary>The glyph that draws <paramref name="codePoint"/>, or 0 (.notdef) when the font has none.</summary>
    public ushort GlyphOf(int codePoint) =>
        codePoint < 0x10000 ? _bmpGlyphs[codePoint] : _glyphOfCodePoint.GetValueOrDefault(codePoint);

    /// <summary>Advance width of a glyph in font units.</summary>
    public int AdvanceOf(ushort glyph) => _advanceWidths[Math.Min(glyph, _numberOfHMetrics - 1)];

    /// <summary>The width of <paramref name="text"/> in points at <paramref name="size"/> (no kerning).</summary>
    public double Measure(ReadOnlySpan<char> text, double size)
    {
        var units = 0L;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c)) return MeasureRunes(text, size);
            units += _bmpAdvances[c];
        }
        return units * size / UnitsPerEm;
    }

    private double MeasureRunes(ReadOnlySpan<char> text, double size)
    {
        var units = 0L;
        foreach (var rune in text.EnumerateRunes()) units += AdvanceOf(GlyphOf(rune.Value));
        return units * size / UnitsPerEm;
    }

    /// <summary>
    /// A font file with the outlines of <paramref name="glyphs"/> (and of the glyphs they are composed of) and of
    /// .notdef; every other glyph is kept as an empty one, so glyph ids do not change. Tables a PDF reader does not use
    /// for a CID-keyed TrueType font (cmap, kerning, layout, names) are left out.
    /// </summary>
    public byte[] Subset(IEnumerable<ushort> glyphs)
    {
        var keep = new HashSet<ushort>();
        var pending = new Stack<ushort>(glyphs.Append((ushort)0));
        while (pending.TryPop(out var glyph))
        {
            if (glyph >= GlyphCount || !keep.Add(glyph)) continue;
            foreach (var component in ComponentsOf(glyph)) pending.Push(component);
        }

        var glyf = new MemoryStream();
        var loca = new byte[(GlyphCount + 1) * 4];
        for (var glyph = 0; glyph < GlyphCount; glyph++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(loca.AsSpan(glyph * 4), (uint)glyf.Length);
            if (!keep.Contains((ushort)glyph)) continue;
            var (offset, length) = GlyphRange((ushort)glyph);
            glyf.Write(_data, offset, length);
            while (glyf.Length % 4 != 0) glyf.WriteByte(0);
        }
        BinaryPrimitives.WriteUInt32BigEndian(loca.AsSpan(GlyphCount * 4), (uint)glyf.Length);

        var head = TableBytes("head");
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0); // checkSumAdjustment: recomputed below
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), 1); // long loca offsets

        var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["head"] = head,
            ["hhea"] = TableBytes("hhea"),
            ["maxp"] = TableBytes("maxp"),
            ["hmtx"] = TableBytes("hmtx"),
            ["loca"] = loca,
            ["glyf"] = glyf.ToArray(),
        };
        foreach (var hinting in new[] { "cvt ", "fpgm", "prep" })
        {
            if (_tables.ContainsKey(hinting)) tables[hinting] = TableBytes(hinting);
        }
        return WriteFontFile(tables);
    }

    private IEnumerable<ushort> ComponentsOf(ushort glyph)
    {
        var (offset, length) = GlyphRange(glyph);
        if (length == 0 || I16(offset) >= 0) yield break;

        // A composite glyph: a list of (flags, glyph, arguments, transform) after the 10-byte header.
        const int ArgsAreWords = 0x1, HaveScale = 0x8, MoreComponents = 0x20, HaveXYScale = 0x40, HaveTwoByTwo = 0x80;
        var position = offset + 10;
        int flags;
        do
        {
            flags = U16(position);
            yield return U16(position + 2);
            position += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            position += (flags & HaveScale) != 0 ? 2 : (flags & HaveXYScale) != 0 ? 4 : (flags & HaveTwoByTwo) != 0 ? 8 : 0;
        } while ((flags & MoreComponents) != 0);
    }

    private (int Offset, int Length) GlyphRange(ushort glyph)
    {
        var loca = Table("loca");
        var glyf = Table("glyf");
        int start, end;
        if (_longLoca)
        {
            start = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(loca + glyph * 4));
            end = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(loca + glyph * 4 + 4));
        }
        else
        {
            start = U16(loca + glyph * 2) * 2;
            end = U16(loca + glyph * 2 + 2) * 2;
        }
        return (glyf + start, Math.Max(0, end - start));
    }

    private FrozenDictionary<int, ushort> ReadUnicodeCmap()
    {
        var cmap = Table("cmap");
        var count = U16(cmap + 2);
        int? format4 = null, format12 = null;
        for (var i = 0; i < count; i++)
        {
            var record = cmap + 4 + i * 8;
            var (platform, encoding) = (U16(record), U16(record + 2));
            var subtable = cmap + (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(record + 4));
            var format = U16(subtable);
            if (format == 12 && (platform == 3 && encoding == 10 || platform == 0)) format12 = subtable;
            if (format == 4 && (platform == 3 && encoding == 1 || platform == 0)) format4 = subtable;
        }

        var map = new Dictionary<int, ushort>();
        if (format12 is { } table12)
        {
            var groups = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(table12 + 12));
            for (var g = 0; g < groups; g++)
            {
                var group = table12 + 16 + g * 12;
                var start = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(group));
                var end = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(group + 4));
                var glyph = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(group + 8));
                for (var c = start; c <= end && c <= 0x10FFFF; c++) map[c] = (ushort)(glyph + c - start);
            }
        }
        else if (format4 is { } table4)
        {
            var segments = U16(table4 + 6) / 2;
            var ends = table4 + 14;
            var starts = ends + segments * 2 + 2;
            var deltas = starts + segments * 2;
            var rangeOffsets = deltas + segments * 2;
            for (var s = 0; s < segments; s++)
            {
                var (start, end) = (U16(starts + s * 2), U16(ends + s * 2));
                var delta = I16(deltas + s * 2);
                var rangeOffset = U16(rangeOffsets + s * 2);
                for (var c = start; c <= end && c != 0xFFFF; c++)
                {
                    int glyph;
                    if (rangeOffset == 0)
                    {
                        glyph = (c + delta) & 0xFFFF;
                    }
                    else
                    {
                        glyph = U16(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
                        if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                    }
                    if (glyph != 0) map[c] = (ushort)glyph;
                }
            }
        }
        else
        {
            throw new InvalidDataException($"The font {PostScriptName} has no Unicode cmap.");
        }
        return map.ToFrozenDictionary();
    }

    private static byte[] WriteFontFile(SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var searchRange = 1;
        var entrySelector = 0;
        while (searchRange * 2 <= count)
        {
            searchRange *= 2;
            entrySelector++;
        }

        var headerLength = 12 + 16 * count;
        var output = new byte[headerLength + tables.Values.Sum(t => (t.Length + 3) & ~3)];
        var span = output.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)(searchRange * 16));
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(count * 16 - searchRange * 16));

        var record = 12;
        var offset = headerLength;
        var headOffset = 0;
        foreach (var (tag, table) in tables)
        {
            for (var i = 0; i < 4; i++) output[record + i] = (byte)tag[i];
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 4)..], Checksum(table));
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 8)..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(span[(record + 12)..], (uint)table.Length);
            table.CopyTo(output, offset);
            if (tag == "head") headOffset = offset;
            record += 16;
            offset += (table.Length + 3) & ~3;
        }
        BinaryPrimitives.WriteUInt32BigEndian(span[(headOffset + 8)..], unchecked(0xB1B0AFBA - Checksum(output)));
        return output;
    }

    private static uint Checksum(byte[] data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 4)
        {
            uint word = 0;
            for (var j = 0; j < 4; j++) word = (word << 8) | (i + j < data.Length ? data[i + j] : 0u);
            sum = unchecked(sum + word);
        }
        return sum;
    }

    private static Dictionary<string, (int, int)> ReadTableDirectory(byte[] data)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4));
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = 12 + i * 16;
            var tag = System.Text.Encoding.ASCII.GetString(data, record, 4);
            tables[tag] = ((int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(record + 8)),
                (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(record + 12)));
        }
        return tables;
    }

    private int Table(string tag) => _tables.TryGetValue(tag, out var table)
        ? table.Offset
        : throw new InvalidDataException($"The font {PostScriptName} has no '{tag}' table.");

    private byte[] TableBytes(string tag)
    {
        var (offset, length) = _tables[tag];
        return _data.AsSpan(offset, length).ToArray();
    }

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(offset));

    private short I16(int offset) => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(offset));
}
