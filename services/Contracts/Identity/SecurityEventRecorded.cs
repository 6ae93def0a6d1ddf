namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// Something happened to an account's security: a sign-in, a failure, a lockout, a factor change, a
/// token exchange, a delegation or consent change. The Audit service keeps them; the patient sees them.
/// Never carries a secret, a code or a whole token.
/// </summary>
/// <param name="EventId">Unique per event, so that a redelivery is recognised.</param>
/// <param name="Kind">What happened: one of <see cref="SecurityEventKinds"/>.</param>
/// <param name="SubjectId">Whose account it concerns (null when a sign-in named an unknown login).</param>
/// <param name="ActorId">Who did it when that is someone else (a representative, an admin).</param>
/// <param name="ClientId">The application the request came through.</param>
/// <param name="IpAddress">Where the request came from, as the gateway saw it.</param>
/// <param name="Outcome">"success" or "failure".</param>
/// <param name="Details">Short non-secret facts (reason, factor, delegation id, ...).</param>
public sealed record SecurityEventRecorded(
    Guid EventId,
    string Kind,
    Guid? SubjectId,
    Guid? ActorId,
    string? ClientId,
    string? IpAddress,
    string? UserAgent,
    string Outcome,
    IReadOnlyDictionary<string, string> Details,
    DateTimeOffset OccurredAt) : IIntegrationEvent;

public static class SecurityEventKinds
{
    public const string AccountRegistered = "account.registered";
    public const string AccountLevelChanged = "account.level_changed";
    public const string ProfileChanged = "account.profile_changed";
    public const string ContactChanged = "account.contact_changed";
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SecondFactorFailed = "signin.second_factor_failed";
    public const string TotpReplayRejected = "signin.totp_replay_rejected";
    public const string LockedOut = "signin.locked_out";
    public const string ThrottledByAddress = "signin.throttled";
    public const string SignedOut = "session.signed_out";
    public const string SessionEnded = "session.ended";
    public const string DeviceRemembered = "device.remembered";
    public const string DeviceForgotten = "device.forgotten";
    public const string SecondFactorChanged = "factor.changed";
    public const string PasswordChanged = "password.changed";
    public const string PasswordRecovered = "password.recovered";
    public const string TokenExchanged = "token.exchanged";
    public const string TokenExchangeRefused = "token.exchange_refused";
    public const string DelegationGranted = "delegation.granted";
    public const string DelegationRevoked = "delegation.revoked";
    public const string ConsentGiven = "consent.given";
    public const string ConsentWithdrawn = "consent.withdrawn";
    public const string AccessRestrictionChanged = "consent.restriction_changed";
    public const string AdminAccountChanged = "admin.account_changed";
    public const string SigningKeyRotated = "keys.rotated";
    /// <summary>Uses of one HSM key for one operation (sign, wrap, unwrap, ...) over a short period, counted exactly.</summary>
    public const string KeyUsed = "keys.used";
    /// <summary>The local test CA issued a certificate for the account (details: serial, thumbprint, certificateId).</summary>
    public const string CertificateIssued = "certificate.issued";
    /// <summary>A certificate of the local CA was revoked; the CRL was published anew.</summary>
    public const string CertificateRevoked = "certificate.revoked";
    /// <summary>A person linked a signature certificate to their account, or was refused (outcome failure, details.reason).</summary>
    public const string CertificateLinked = "certificate.linked";
    public const string CertificateUnlinked = "certificate.unlinked";
    /// <summary>An electronic signature was checked (details.purpose signin or verify, reason, serial, thumbprint), success or failure.</summary>
    public const string SignatureChecked = "signature.checked";
}
