namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// One sign-in of a person on one device (the <c>sid</c> claim of its tokens). Its refresh tokens carry
/// its id; ending it revokes them and puts the sid on the deny-list, so its access tokens stop at once.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }

    /// <summary>The client the person signed in to, when the session began at the authorization endpoint.</summary>
    public string? ClientId { get; set; }

    /// <summary>How the person proved who they are (RFC 8176 values: pwd, otp, sms, hwk, ...), space-separated.</summary>
    public required string AuthenticationMethods { get; set; }

    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>signed_out, ended_by_user, ended_all, password_changed, consent_withdrawn, admin, ...</summary>
    public string? EndReason { get; set; }
}
