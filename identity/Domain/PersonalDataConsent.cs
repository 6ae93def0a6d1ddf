namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// Consent to the processing of personal data (152-FZ): which text version was agreed to, when, and
/// when it was withdrawn. A new consent is a new row, so the history stays.
/// </summary>
public sealed class PersonalDataConsent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required string Version { get; init; }
    public DateTimeOffset GivenAt { get; init; }
    public string? IpAddress { get; init; }
    public DateTimeOffset? WithdrawnAt { get; set; }
}
