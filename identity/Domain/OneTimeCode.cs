namespace Gosuslugi.Health.Identity.Domain;

public enum OneTimeCodePurpose { Registration, SignIn, Recovery, ContactChange }

public enum ContactChannel { Sms, Email }

/// <summary>
/// A 6-digit code sent by SMS or e-mail. Only its hash is stored; it lives 5 minutes, is accepted once,
/// and a few wrong guesses burn it.
/// </summary>
public sealed class OneTimeCode
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Whose code it is; null while a registration has no account yet.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The flow the code belongs to (a registration, a recovery, a sign-in), so a code of one flow cannot finish another.</summary>
    public Guid FlowId { get; init; }

    public OneTimeCodePurpose Purpose { get; init; }
    public ContactChannel Channel { get; init; }

    /// <summary>The phone number (+7XXXXXXXXXX) or e-mail address it was sent to.</summary>
    public required string Destination { get; init; }

    public required string CodeHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? ConsumedAt { get; set; }
    public int FailedAttempts { get; set; }
}
