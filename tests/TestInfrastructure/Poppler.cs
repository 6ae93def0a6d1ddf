using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Shouldly;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// Reads a PDF back with poppler-utils (pdftotext, pdfinfo, pdffonts; test.sh installs them): what a reader's PDF
/// viewer would extract, not what our own code believes it wrote.
/// </summary>
public static partial class Poppler
{
    /// <summary>The text of the PDF in reading layout, runs of spaces collapsed to one.</summary>
    public static async Task<string> TextAsync(byte[] pdf) =>
        MultipleSpaces().Replace(await RunAsync("pdftotext", pdf, "-layout", "{file}", "-"), " ");

    /// <summary>pdfinfo's fields ("Pages", "Title", "Creator", ...).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> InfoAsync(byte[] pdf)
    {
        var output = await RunAsync("pdfinfo", pdf, "-enc", "UTF-8", "{file}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());
    }

    /// <summary>pdffonts' table: one row per font, its columns split on whitespace (name, type..., emb, sub, uni, object, ID).</summary>
    public static async Task<IReadOnlyList<string[]>> FontsAsync(byte[] pdf)
    {
        var output = await RunAsync("pdffonts", pdf, "{file}");
        // Two header lines ("name type ..." and "-----"), then the fonts.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(2)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
    }

    private static async Task<string> RunAsync(string tool, byte[] pdf, params string[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"pdf-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument == "{file}" ? file : argument);

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            process.ExitCode.ShouldBe(0, $"{tool} failed: {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex("[ \t]+")]
    private static partial Regex MultipleSpaces();
}
