using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>The PDF an organization attached to a protocol, discharge summary or result (FHIR Attachment with data).</summary>
public sealed class RecordDocument
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ItemId { get; init; }

    public Guid PatientId { get; init; }

    public required string ContentType { get; init; }

    /// <summary>The file's name as sent (sealed: it often names the examination).</summary>
    public required Sealed FileName { get; init; }

    /// <summary>The PDF itself, sealed.</summary>
    public required Sealed Content { get; init; }

    /// <summary>The PDF's size in bytes, shown before it is downloaded.</summary>
    public int Size { get; init; }

    /// <summary>SHA-256 (hex) of <see cref="Content"/>, as an ETag and for the organization's integrity check.</summary>
    public required string Sha256 { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
