using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gosuslugi.Health.Hosting;

/// <summary>A message a development provider recorded instead of sending it (SMS, push, e-mail).</summary>
internal sealed record OutgoingMessage(DateTimeOffset At, string Channel, string Destination, string? Subject, string Text, string Source);

/// <summary>
/// Reads what development providers recorded in the mailbox folder: JSON-lines files ({at, channel, destination,
/// subject?, text}) written by identity and Notifications, and the SMTP server's Maildir.
/// </summary>
internal static partial class OutgoingMessages
{
    public static IReadOnlyList<OutgoingMessage> Newest(string mailboxDirectory, int count)
    {
        if (!Directory.Exists(mailboxDirectory)) return [];
        var messages = new List<OutgoingMessage>();
        foreach (var file in Directory.EnumerateFiles(mailboxDirectory, "*.jsonl"))
        {
            messages.AddRange(ReadJsonLines(file, count));
        }
        var maildir = Path.Combine(mailboxDirectory, "email");
        foreach (var file in new[] { "new", "cur" }.Select(f => Path.Combine(maildir, f)).Where(Directory.Exists)
                     .SelectMany(Directory.EnumerateFiles).Select(f => new FileInfo(f))
                     .OrderByDescending(f => f.LastWriteTimeUtc).Take(count))
        {
            messages.Add(ReadEmail(file));
        }
        return messages.OrderByDescending(m => m.At).Take(count).ToList();
    }

    private static IEnumerable<OutgoingMessage> ReadJsonLines(string file, int count)
    {
        string[] lines;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var line in lines.TakeLast(count))
        {
            OutgoingMessage? message = null;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                message = new OutgoingMessage(
                    root.TryGetProperty("at", out var at) && at.TryGetDateTimeOffset(out var when) ? when : File.GetLastWriteTimeUtc(file),
                    Text("channel") ?? "?", Text("destination") ?? "", Text("subject"), Text("text") ?? "", Path.GetFileName(file));
            }
            catch (JsonException)
            {
                // A line being written right now; the next refresh shows it.
            }
            if (message is not null) yield return message;
        }
    }

    private static OutgoingMessage ReadEmail(FileInfo file)
    {
        var raw = File.ReadAllText(file.FullName);
        var headerEnd = raw.IndexOf("\n\n", StringComparison.Ordinal) is var i and >= 0 ? i : raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = Unfold(headerEnd >= 0 ? raw[..headerEnd] : raw);
        string? Header(string name) => headers.FirstOrDefault(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();
        var at = DateTimeOffset.TryParse(Header("Date"), out var date) ? date : new DateTimeOffset(file.LastWriteTimeUtc);
        var body = headerEnd >= 0 ? raw[headerEnd..].TrimStart('\r', '\n') : "";
        var text = Header("Content-Type")?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) != false
            ? DecodeBody(body, Header("Content-Transfer-Encoding"), Header("Content-Type"))
            : null;
        return new OutgoingMessage(at, "email", DecodeWords(Header("To") ?? ""), DecodeWords(Header("Subject") ?? ""),
            text ?? $"({file.Length} bytes, {file.FullName})", "smtp");
    }

    /// <summary>A single-part text body as System.Net.Mail writes it (base64 or quoted-printable, UTF-8); null if unreadable.</summary>
    internal static string? DecodeBody(string body, string? transferEncoding, string? contentType)
    {
        try
        {
            var charset = contentType?.Split(';').Select(p => p.Trim())
                .FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?["charset=".Length..].Trim('"');
            var encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset);
            return transferEncoding?.ToLowerInvariant() switch
            {
                "base64" => encoding.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
                // Soft line breaks ("=" at the end of a line) join lines.
                "quoted-printable" => encoding.GetString(QuotedPrintable(body.Replace("=\r\n", "").Replace("=\n", ""))),
                _ => body,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static List<string> Unfold(string headerBlock)
    {
        var result = new List<string>();
        foreach (var line in headerBlock.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && result.Count > 0) result[^1] += " " + line.Trim();
            else result.Add(line);
        }
        return result;
    }

    /// <summary>
    /// RFC 2047 encoded words (=?utf-8?B?...?= and =?utf-8?Q?...?=), as System.Net.Mail writes Cyrillic subjects; the
    /// white space between two adjacent words is not part of the text (RFC 2047 §6.2), so the pattern takes it along.
    /// </summary>
    internal static string DecodeWords(string value) =>
        EncodedWord().Replace(value, match =>
        {
            try
            {
                var encoding = Encoding.GetEncoding(match.Groups["charset"].Value);
                var text = match.Groups["text"].Value;
                var bytes = match.Groups["enc"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                    ? Convert.FromBase64String(text)
                    : QuotedPrintable(text.Replace('_', ' '));
                return encoding.GetString(bytes);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                return match.Value;
            }
        });

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length)
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        return [.. bytes];
    }

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<enc>[BbQq])\?(?<text>[^?]*)\?=\s*")]
    private static partial Regex EncodedWord();
}
