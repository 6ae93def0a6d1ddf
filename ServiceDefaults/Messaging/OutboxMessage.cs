namespace Gosuslugi.Health.ServiceDefaults.Messaging;

/// <summary>An event written in the same transaction as the state change it describes; the relay publishes it later.</summary>
public sealed class OutboxMessage
{
    /// <summary>Guid v7; becomes the MassTransit MessageId, which consumers deduplicate on.</summary>
    public Guid Id { get; set; }
    /// <summary>Full name of the CLR type (a record in Gosuslugi.Health.Contracts).</summary>
    public required string MessageType { get; set; }
    /// <summary>The message serialized as JSON (jsonb).</summary>
    public required string Payload { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>W3C traceparent of the request that wrote the event, so the published message continues its trace.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>A message a consumer has processed; its key makes redelivered messages no-ops.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
