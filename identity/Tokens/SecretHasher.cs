using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>Hashing of client secrets and of opaque tokens (authorization codes, refresh tokens).</summary>
public static class SecretHasher
{
    private const int SaltSize = 16;
    private const int HashSize = 32;

    // Client secrets are 256 random bits, so the iteration count only has to slow down an attacker
    // holding a stolen table; it is kept moderate because every client_credentials request pays it.
    private const int Iterations = 100_000;

    private static readonly string DummyHash = HashClientSecret("not-a-real-secret");

    /// <summary>A new random secret or token: 256 bits, base64url (43 characters).</summary>
    public static string NewOpaqueValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>PBKDF2-HMAC-SHA256 with a random salt: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
    public static string HashClientSecret(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Verifies a secret; with a null hash it spends the same time and fails, hiding whether the client exists.</summary>
    public static bool VerifyClientSecret(string secret, string? storedHash)
    {
        var parts = (storedHash ?? DummyHash).Split('$');
        if (parts is not ["pbkdf2-sha256", var iterations, var salt, var expected]) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, Convert.FromBase64String(salt), int.Parse(iterations),
            HashAlgorithmName.SHA256, HashSize);
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromBase64String(expected)) && storedHash is not null;
    }

    /// <summary>
    /// SHA-256 of an opaque token, hex. Unsalted on purpose: the tokens are 256 random bits (nothing to
    /// guess), and the hash must be searchable to find the row.
    /// </summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
