namespace Gosuslugi.Health.Notifications.Domain;

/// <summary>
/// One message to send on one channel (SMS, e-mail, push) to one person: the patient, or a person acting for them.
/// Rows are written with the feed notification, in its transaction, and a dispatcher claims due rows with
/// FOR UPDATE SKIP LOCKED, so that with any number of instances each is sent once.
/// </summary>
public sealed class Delivery
{
    public Guid Id { get; init; }

    public Guid NotificationId { get; init; }

    /// <summary>Whose notification it is.</summary>
    public Guid PatientId { get; init; }

    /// <summary>Who receives it: the patient, or a representative while their delegation lasts.</summary>
    public Guid RecipientId { get; init; }

    /// <summary>One of <see cref="Channels"/> (never <see cref="Channels.InApp"/>: the feed row is the in-app message).</summary>
    public required string Channel { get; init; }

    /// <summary>Phone number, e-mail address or push token, as known when the row was written.</summary>
    public required string Destination { get; init; }

    /// <summary>E-mail subject / push title.</summary>
    public string? Subject { get; init; }

    /// <summary>The private text (no medical details): an SMS, an e-mail or a push carries nothing more.</summary>
    public required string Text { get; init; }

    /// <summary>One of <see cref="DeliveryStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Not sent before this instant: the end of the recipient's quiet hours, or a retry's back-off.</summary>
    public DateTimeOffset NotBefore { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }
}

public static class Channels
{
    public const string InApp = "in_app";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Push = "push";

    public static readonly IReadOnlyList<string> All = [InApp, Sms, Email, Push];

    /// <summary>The channels that leave the system through a provider.</summary>
    public static readonly IReadOnlyList<string> External = [Sms, Email, Push];
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";

    /// <summary>Gave up after the last attempt.</summary>
    public const string Failed = "failed";

    /// <summary>No longer to be sent (the appointment it reminded of was cancelled, the delegation ended).</summary>
    public const string Withdrawn = "withdrawn";
}
