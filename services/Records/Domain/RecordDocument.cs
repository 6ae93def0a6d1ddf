namespace Gosuslugi.Health.Records.Domain;

/// <summary>The PDF an organization attached to a protocol, discharge summary or result (FHIR Attachment with data).</summary>
public sealed class RecordDocument
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ItemId { get; init; }

    public Guid PatientId { get; init; }

    public required string ContentType { get; init; }

    public required string FileName { get; init; }

    public required byte[] Content { get; init; }

    /// <summary>SHA-256 (hex) of <see cref="Content"/>, as an ETag and for the organization's integrity check.</summary>
    public required string Sha256 { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
