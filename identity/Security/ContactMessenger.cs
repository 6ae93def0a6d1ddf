using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gosuslugi.Health.Identity.Domain;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// Delivers a text to a person's phone (SMS) or e-mail address: one-time codes, lockout notices.
/// </summary>
/// <remarks>
/// <para>Development and tests use the "mailbox": every message is appended as one JSON line
/// <c>{"sentAt","channel":"sms"|"email","to","text"}</c> to <c>{Identity:Mailbox:Directory}/messages.jsonl</c>,
/// where a developer (or a test) reads the code a real phone would have received.</para>
/// <para>Production plugs an SMS gateway and a mail relay in here, in place of the mailbox. Without either
/// (no mailbox directory configured), messages are dropped with a warning that names the channel only:
/// the text holds a code and is never logged.</para>
/// </remarks>
public sealed class ContactMessenger
{
    public const string MailboxDirectoryKey = "Identity:Mailbox:Directory";
    public const string MailboxFileName = "messages.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Russian text stays readable in the file
    };

    // One writer at a time within the process; each line is also written with a single append, so
    // that another process appending to the same file cannot interleave inside it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger<ContactMessenger> _logger;

    public ContactMessenger(IConfiguration configuration, TimeProvider time, ILogger<ContactMessenger> logger)
    {
        _time = time;
        _logger = logger;
        var directory = configuration[MailboxDirectoryKey];
        MailboxFile = string.IsNullOrWhiteSpace(directory) ? null : Path.Combine(Path.GetFullPath(directory), MailboxFileName);
    }

    /// <summary>The mailbox file, or null when messages are not delivered anywhere.</summary>
    public string? MailboxFile { get; }

    public async Task SendAsync(ContactChannel channel, string destination, string russianText, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        ArgumentException.ThrowIfNullOrWhiteSpace(russianText);
        if (MailboxFile is null)
        {
            _logger.LogWarning("No message gateway is configured ({Key} is not set): a {Channel} message was not delivered", MailboxDirectoryKey, channel);
            return;
        }

        var message = new MailboxMessage(_time.GetUtcNow(), ChannelName(channel), destination, russianText);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, Json) + "\n");
        await _gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(MailboxFile)!);
            await using var file = new FileStream(MailboxFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            await file.WriteAsync(line, ct);
        }
        finally
        {
            _gate.Release();
        }
        _logger.LogInformation("A {Channel} message was put in the development mailbox", channel);
    }

    public static string ChannelName(ContactChannel channel) => channel switch
    {
        ContactChannel.Sms => "sms",
        ContactChannel.Email => "email",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };
}

/// <summary>One line of the development mailbox.</summary>
public sealed record MailboxMessage(
    [property: JsonPropertyName("sentAt")] DateTimeOffset SentAt,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text);
