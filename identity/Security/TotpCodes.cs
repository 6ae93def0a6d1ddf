using OtpNet;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// The service's authenticator-app codes over Otp.NET (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps from the Unix
/// epoch — the parameters every authenticator app uses by default — and one step of clock drift either side.
/// </summary>
/// <remarks>
/// <see cref="TryMatch"/> only says which step a code belongs to. Accepting a code once is the caller's job: it accepts
/// the step only when it is later than <c>HealthUser.TotpLastStep</c> and records it atomically, so that a replayed
/// code (the same or an earlier step) is rejected (RFC 6238 §5.2; Otp.NET keeps no state).
/// </remarks>
public static class TotpCodes
{
    public const int Digits = 6;
    public const int StepSeconds = 30;

    /// <summary>Steps of clock drift tolerated on either side of the current one (RFC 6238 §5.2 recommends at most one).</summary>
    public const int AllowedDriftSteps = 1;

    public const string Issuer = "Госуслуги.Здоровье";

    /// <summary>Bytes of a new secret: 160 bits, the HMAC-SHA1 output length that RFC 4226 recommends.</summary>
    public const int SecretBytes = 20;

    private static readonly VerificationWindow DriftWindow = new(previous: AllowedDriftSteps, future: AllowedDriftSteps);

    /// <summary>A new random secret, base32 (32 characters: 20 bytes need no padding).</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));

    /// <summary>
    /// True when <paramref name="code"/> is the code of the current step or of one step either side;
    /// <paramref name="step"/> is the step it matched (for the caller's replay check). Otp.NET compares each candidate
    /// in constant time and tries the current step first, then the earlier, then the later one.
    /// </summary>
    public static bool TryMatch(string base32Secret, string code, DateTimeOffset now, out long step)
    {
        step = 0;
        // Otp.NET would compare anything; only what an app can show is worth a hash.
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit)) return false;
        if (SecretBytesOf(base32Secret) is not { Length: > 0 } secret) return false;

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out step, DriftWindow);
    }

    /// <summary>
    /// The otpauth:// URI (Google Authenticator key-URI format) an authenticator app scans as a QR code:
    /// label "issuer:account", the secret, and the explicit algorithm, digits and period.
    /// </summary>
    public static string ProvisioningUri(string base32Secret, string accountName) =>
        new OtpUri(OtpType.Totp, base32Secret, accountName, Issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();

    private static byte[]? SecretBytesOf(string? base32Secret)
    {
        if (string.IsNullOrEmpty(base32Secret)) return null;
        try
        {
            return Base32Encoding.ToBytes(base32Secret);
        }
        catch (ArgumentException)
        {
            // A character outside the base32 alphabet: a stored secret that was damaged matches nothing.
            return null;
        }
    }
}
