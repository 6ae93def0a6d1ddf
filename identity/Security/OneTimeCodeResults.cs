namespace Gosuslugi.Health.Identity.Security;

/// <summary>What became of a request to send a one-time code.</summary>
/// <param name="Throttled">True when nothing was sent because the destination had a code too recently (or too often this hour).</param>
/// <param name="RetryAfter">When throttled, how long until a new code may be requested.</param>
/// <param name="ExpiresAt">When sent, until when the code is accepted.</param>
public sealed record CodeSendResult(bool Throttled, TimeSpan RetryAfter, DateTimeOffset? ExpiresAt)
{
    public bool IsSent => !Throttled;

    public static CodeSendResult Sent(DateTimeOffset expiresAt) => new(false, TimeSpan.Zero, expiresAt);

    public static CodeSendResult ThrottledFor(TimeSpan retryAfter) =>
        new(true, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1), null);
}

/// <summary>The outcome of checking a one-time code; only <see cref="Valid"/> lets the flow go on.</summary>
public enum CodeCheckResult
{
    /// <summary>Right code, in time, first use: it is now consumed.</summary>
    Valid,

    /// <summary>Wrong code (or no code was sent for this flow and channel); counts as a failed attempt when a code exists.</summary>
    Invalid,

    /// <summary>The code's 5 minutes are over.</summary>
    Expired,

    /// <summary>The code was accepted before: a code works once.</summary>
    AlreadyUsed,

    /// <summary>Too many wrong attempts burnt the code; a new one must be requested.</summary>
    TooManyAttempts,
}
