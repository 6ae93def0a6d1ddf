using System.Text;
using System.Text.Json;
using MimeKit;

namespace Gosuslugi.Health.DevMailbox;

/// <summary>A message a development provider recorded instead of sending it (SMS, push, e-mail).</summary>
public sealed record OutgoingMessage(DateTimeOffset At, string Channel, string Destination, string? Subject, string Text, string Source);

/// <summary>
/// Reads what development providers recorded in the mailbox folder: JSON-lines files ({at, channel, destination,
/// subject?, text}) written by identity and Notifications, and the SMTP server's Maildir ("email").
/// </summary>
public static class OutgoingMessages
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
            if (ReadEmail(file) is { } email) messages.Add(email);
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

    private static OutgoingMessage? ReadEmail(FileInfo file)
    {
        try
        {
            using var stream = file.OpenRead();
            var mail = MimeMessage.Load(stream);
            var at = mail.Date == DateTimeOffset.MinValue ? new DateTimeOffset(file.LastWriteTimeUtc) : mail.Date;
            return new OutgoingMessage(at, "email", mail.To.ToString(), mail.Subject,
                mail.TextBody ?? mail.HtmlBody ?? $"({file.Length} bytes, {file.FullName})", "smtp");
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null; // a message being written right now
        }
    }
}
