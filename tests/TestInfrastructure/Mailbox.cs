using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>One message identity "sent": a line of <c>messages.jsonl</c> in the development mailbox.</summary>
public sealed record MailboxMessage(
    [property: JsonPropertyName("sentAt")] DateTimeOffset SentAt,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text);

/// <summary>
/// Reads the development mailbox identity writes instead of sending SMS and e-mail
/// (<c>{Identity:Mailbox:Directory}/messages.jsonl</c>, one JSON object per line): the phone a test does not have.
/// </summary>
public sealed partial class Mailbox(string directory)
{
    public const string FileName = "messages.jsonl";

    public string Directory => directory;
    public string FilePath => Path.Combine(directory, FileName);

    /// <summary>Every message so far; a line still being written is skipped.</summary>
    public IReadOnlyList<MailboxMessage> ReadAll()
    {
        if (!File.Exists(FilePath)) return [];
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var messages = new List<MailboxMessage>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<MailboxMessage>(line) is { } message) messages.Add(message);
            }
            catch (JsonException)
            {
                // The writer appends one line at a time; a torn last line is complete on the next read.
            }
        }
        return messages;
    }

    /// <summary>The messages to <paramref name="destination"/> (phone +7XXXXXXXXXX or e-mail) sent at or after <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<MailboxMessage> To(string destination, DateTimeOffset after) =>
        [.. ReadAll().Where(m => string.Equals(m.To, destination, StringComparison.OrdinalIgnoreCase) && m.SentAt >= after).OrderBy(m => m.SentAt)];

    /// <summary>Waits for the newest message to <paramref name="destination"/> since <paramref name="after"/> that matches <paramref name="predicate"/>.</summary>
    public async Task<MailboxMessage> WaitForMessageAsync(string destination, DateTimeOffset after, TimeSpan timeout,
        Func<MailboxMessage, bool>? predicate = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var found = To(destination, after).LastOrDefault(m => predicate?.Invoke(m) ?? true);
            if (found is not null) return found;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"No message to {destination} since {after:O} in {FilePath} within {timeout}.");
            await Task.Delay(50);
        }
    }

    /// <summary>The code (the first run of 6 digits) of the newest message with a code to <paramref name="destination"/> since <paramref name="after"/>.</summary>
    public async Task<string> WaitForCodeAsync(string destination, DateTimeOffset after, TimeSpan timeout)
    {
        var message = await WaitForMessageAsync(destination, after, timeout, m => Code().IsMatch(m.Text));
        return Code().Match(message.Text).Value;
    }

    /// <summary>The first 6-digit run not inside a longer number.</summary>
    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex Code();
}
