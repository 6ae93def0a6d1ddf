using Gosuslugi.Health.Records.Exports.Pdf;

namespace Gosuslugi.Health.Records.Exports;

/// <summary>
/// The DejaVu Sans faces embedded in this assembly (Fonts/, licence in Fonts/LICENSE): a PDF never depends on the
/// fonts of the machine that renders it, and every face has Cyrillic. Parsed once; shared by every render (read-only).
/// </summary>
public static class ExportFonts
{
    private static readonly Lazy<TrueTypeFont> RegularFace = new(() => Load("DejaVuSans"));
    private static readonly Lazy<TrueTypeFont> BoldFace = new(() => Load("DejaVuSans-Bold"));

    public static TrueTypeFont Regular => RegularFace.Value;

    public static TrueTypeFont Bold => BoldFace.Value;

    private static TrueTypeFont Load(string face)
    {
        var name = $"Gosuslugi.Health.Records.Exports.Fonts.{face}.ttf";
        using var stream = typeof(ExportFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in the assembly.");
        using var buffer = new MemoryStream((int)stream.Length);
        stream.CopyTo(buffer);
        return new TrueTypeFont(face, buffer.ToArray());
    }
}
