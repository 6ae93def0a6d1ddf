using System.Net.Mail;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Notifications.Channels;

/// <summary>One outgoing message: the private text only, never the feed's medical details.</summary>
public sealed record OutgoingMessage(string Channel, string Destination, string? Subject, string Text);

public interface ISmsSender
{
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

public interface IPushSender
{
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

public interface IEmailSender
{
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>Configuration section Notifications:Smtp; ConnectionStrings:smtp ("smtp://host:port") wins for host and port.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public bool EnableSsl { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "noreply@gosuslugi-health.example";
}

public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender
{
    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.Host))
        {
            throw new InvalidOperationException("No SMTP server is configured (ConnectionStrings:smtp or Notifications:Smtp:Host).");
        }

        using var client = new SmtpClient(settings.Host, settings.Port) { EnableSsl = settings.EnableSsl };
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            client.Credentials = new System.Net.NetworkCredential(settings.UserName, settings.Password);
        }

        using var mail = new MailMessage(settings.From, message.Destination)
        {
            Subject = message.Subject,
            Body = message.Text,
            SubjectEncoding = System.Text.Encoding.UTF8,
            BodyEncoding = System.Text.Encoding.UTF8,
        };
        await client.SendMailAsync(mail, ct);
    }
}

/// <summary>Configuration section Notifications:Outbox.</summary>
public sealed class OutboxOptions
{
    /// <summary>Where notifications.jsonl is appended; null: messages are only logged.</summary>
    public string? Directory { get; set; }
}

/// <summary>
/// Stands in for the SMS and push providers (no contract with one yet, and none reachable in development): appends each
/// message as a JSON line so that developers and tests can see what a person would have received.
/// </summary>
public sealed class DevelopmentMessageRecorder(IOptions<OutboxOptions> options, TimeProvider time,
    ILogger<DevelopmentMessageRecorder> logger) : ISmsSender, IPushSender
{
    public const string FileName = "notifications.jsonl";

    // Read by developers: Cyrillic and "+7..." stay legible (the file is never embedded in HTML).
    private static readonly JsonSerializerOptions LineOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Instances of the service in one process (tests) share the file: lines must not interleave.
    private static readonly SemaphoreSlim FileLock = new(1, 1);

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        // A phone number or a device token is personal data: the log names only its last characters.
        logger.LogInformation("Recorded {Channel} message to …{DestinationEnd}", message.Channel,
            message.Destination.Length > 2 ? message.Destination[^2..] : "");
        var directory = options.Value.Directory;
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        var line = JsonSerializer.Serialize(new
        {
            at = time.GetUtcNow(),
            channel = message.Channel,
            destination = message.Destination,
            subject = message.Subject,
            text = message.Text,
        }, LineOptions);
        System.IO.Directory.CreateDirectory(directory);
        await FileLock.WaitAsync(ct);
        try
        {
            await File.AppendAllTextAsync(Path.Combine(directory, FileName), line + "\n", ct);
        }
        finally
        {
            FileLock.Release();
        }
    }
}
