using System.Globalization;
using Gosuslugi.Health.Prescriptions.Api;
using Gosuslugi.Health.Printing;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Gosuslugi.Health.Prescriptions.Printing;

/// <summary>
/// The printed prescription: one A4 page with what the patient shows at a pharmacy, and a QR code holding only the signed
/// reference (no personal data), drawn as vector modules.
/// </summary>
public static class PrescriptionPdf
{
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    public static byte[] Render(PrescriptionResponse p, string reference, DateTimeOffset printedAt)
    {
        PdfFonts.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = "Электронный рецепт";
        document.Info.Creator = "«Моё здоровье»";
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var title = new XFont(PdfFonts.Family, 16, XFontStyleEx.Bold);
            var label = new XFont(PdfFonts.Family, 9, XFontStyleEx.Bold);
            var text = new XFont(PdfFonts.Family, 11, XFontStyleEx.Regular);
            var left = XUnit.FromMillimeter(20).Point;
            var width = page.Width.Point - 2 * left;
            var y = XUnit.FromMillimeter(20).Point;

            graphics.DrawString("Электронный рецепт", title, XBrushes.Black, left, y);
            y += 24;
            var lines = new List<(string Label, string Value)>
            {
                ("Препарат", p.Medication.Name),
                ("Способ применения", p.DosageText),
                ("Количество", $"{p.Quantity.ToString("0.###", Russian)} {p.QuantityUnit}".Trim()
                    + (p.DispensedQuantity > 0 ? $" (отпущено {p.DispensedQuantity.ToString("0.###", Russian)})" : "")),
                ("Действует", $"с {p.ValidFrom.ToString("dd.MM.yyyy", Russian)} по {p.ValidUntil.ToString("dd.MM.yyyy", Russian)}"),
                ("Врач", p.DoctorName),
                ("Медицинская организация", p.Organization.Name),
            };
            if (p.Program is { } program) lines.Add(("Льготный рецепт", program.Name));
            foreach (var (name, value) in lines)
            {
                graphics.DrawString(name, label, XBrushes.DimGray, left, y);
                y += 14;
                foreach (var line in Wrap(graphics, value, text, width))
                {
                    graphics.DrawString(line, text, XBrushes.Black, left, y);
                    y += 15;
                }
                y += 6;
            }

            y += 10;
            var size = XUnit.FromMillimeter(45).Point;
            DrawQrCode(graphics, reference, left, y, size);
            graphics.DrawString("Покажите QR-код в аптеке: по нему фармацевт откроет рецепт.", text, XBrushes.Black, left + size + 12, y + 14);
            graphics.DrawString($"Напечатано {printedAt.ToOffset(TimeSpan.FromHours(3)).ToString("dd.MM.yyyy HH:mm", Russian)} (МСК)",
                label, XBrushes.DimGray, left + size + 12, y + 32);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void DrawQrCode(XGraphics graphics, string content, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var module = size / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Count; column++)
            {
                if (modules[row][column]) graphics.DrawRectangle(XBrushes.Black, x + column * module, y + row * module, module, module);
            }
        }
    }

    /// <summary>Words to lines no wider than <paramref name="width"/>.</summary>
    private static IEnumerable<string> Wrap(XGraphics graphics, string value, XFont font, double width)
    {
        var line = "";
        foreach (var word in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && graphics.MeasureString(candidate, font).Width > width)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = candidate;
            }
        }
        if (line.Length > 0) yield return line;
    }
}
