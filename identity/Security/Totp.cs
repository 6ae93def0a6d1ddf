using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps
/// from the Unix epoch — the parameters every authenticator app uses by default.
/// </summary>
/// <remarks>
/// <see cref="TryMatch"/> only says which step a code belongs to. Accepting a code once is the caller's
/// job: it accepts the step only when it is later than <c>HealthUser.TotpLastStep</c> and records it
/// atomically, so that a replayed code (the same or an earlier step) is rejected.
/// </remarks>
public static class Totp
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Steps of clock drift tolerated on either side of the current one (RFC 6238 §5.2 recommends at most one).</summary>
    public const int AllowedDriftSteps = 1;

    public const string Issuer = "Госуслуги.Здоровье";

    /// <summary>Bytes of a new secret: 160 bits, the HMAC-SHA1 output length that RFC 4226 recommends.</summary>
    public const int SecretBytes = 20;

    /// <summary>A new random secret, base32 without padding (32 characters).</summary>
    public static string NewSecret() => Base32.Encode(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The time step that contains <paramref name="time"/> (RFC 6238: T = floor((unix time − T0) / X), T0 = 0, X = 30 s).</summary>
    public static long StepAt(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / Step.TotalSeconds);

    /// <summary>The 6-digit code of <paramref name="step"/> for a base32 secret.</summary>
    public static string Compute(string base32Secret, long step) => Compute(Base32.Decode(base32Secret), step, Digits, HashAlgorithmName.SHA1);

    /// <summary>
    /// The general RFC 6238 computation (kept public for the RFC's test vectors, which use 8 digits and
    /// also SHA-256 / SHA-512); the service itself always uses <see cref="Compute(string, long)"/>.
    /// </summary>
    public static string Compute(ReadOnlySpan<byte> secret, long step, int digits, HashAlgorithmName algorithm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);

        Span<byte> hash = stackalloc byte[64];
        var length = algorithm.Name switch
        {
            nameof(HashAlgorithmName.SHA1) => HMACSHA1.HashData(secret, counter, hash),
            nameof(HashAlgorithmName.SHA256) => HMACSHA256.HashData(secret, counter, hash),
            nameof(HashAlgorithmName.SHA512) => HMACSHA512.HashData(secret, counter, hash),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "TOTP uses SHA1, SHA256 or SHA512."),
        };
        hash = hash[..length];

        // RFC 4226 §5.3 dynamic truncation.
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var code = binary % (int)Math.Pow(10, digits);
        return code.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// True when <paramref name="code"/> is the code of the current step or of one step either side;
    /// <paramref name="step"/> is the step it matched (for the caller's replay check). The comparison
    /// does not reveal through timing how much of a code was right.
    /// </summary>
    public static bool TryMatch(string base32Secret, string code, DateTimeOffset now, out long step)
    {
        step = 0;
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit)) return false;
        if (!Base32.TryDecode(base32Secret, out var secret) || secret.Length == 0) return false;

        var current = StepAt(now);
        var matched = false;
        // Every candidate step is computed and compared, so the time taken does not depend on which one matched.
        for (var candidate = current - AllowedDriftSteps; candidate <= current + AllowedDriftSteps; candidate++)
        {
            var expected = Compute(secret, candidate, Digits, HashAlgorithmName.SHA1);
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code)))
            {
                // On the (1 in a million) chance that two steps share a code, the latest wins: it is the
                // one a replay check is least likely to refuse wrongly.
                matched = true;
                step = candidate;
            }
        }
        return matched;
    }

    /// <summary>
    /// The otpauth:// URI (Google Authenticator key-URI format) an authenticator app scans as a QR code:
    /// label "issuer:account", the secret, and the explicit algorithm, digits and period.
    /// </summary>
    public static string ProvisioningUri(string base32Secret, string accountName)
    {
        var label = Uri.EscapeDataString(Issuer) + ":" + Uri.EscapeDataString(accountName);
        return $"otpauth://totp/{label}?secret={base32Secret}&issuer={Uri.EscapeDataString(Issuer)}" +
               $"&algorithm=SHA1&digits={Digits}&period={(int)Step.TotalSeconds}";
    }
}
