using PdfSharp.Fonts;

namespace Gosuslugi.Health.Printing;

/// <summary>
/// PDFsharp's font resolver: the DejaVu Sans faces embedded in this shared printing assembly (Fonts/, licence in Fonts/LICENSE), so that a
/// PDF never depends on the fonts of the machine that renders it and every face has Cyrillic. Whatever family is asked
/// for gets DejaVu Sans. One instance per process, registered before the first font is used; the face files are read once.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lazy<byte[]> RegularFile = new(() => Load(RegularFace));
    private static readonly Lazy<byte[]> BoldFile = new(() => Load(BoldFace));
    private static readonly Lazy<PdfFonts> Registered = new(Register);

    private PdfFonts()
    {
    }

    /// <summary>Makes this resolver PDFsharp's (once per process; PDFsharp's font settings are global).</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => RegularFile.Value,
        BoldFace => BoldFile.Value,
        _ => null,
    };

    private static PdfFonts Register()
    {
        var resolver = new PdfFonts();
        GlobalFontSettings.FontResolver = resolver;
        return resolver;
    }

    private static byte[] Load(string face)
    {
        var name = $"Gosuslugi.Health.Printing.Fonts.{face}.ttf";
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in the assembly.");
        using var buffer = new MemoryStream((int)stream.Length);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
