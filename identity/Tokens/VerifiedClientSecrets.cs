using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// A client secret that passed PBKDF2 is remembered for a few minutes, so that a medical organization's system asking
/// for tokens all day pays the hash once per window instead of on every request. Only successes are kept: a guess still
/// pays the full hash every time. An entry is keyed by the stored hash (a new secret or a deleted client changes it, so no stale entry answers) and a
/// SHA-256 of the presented secret.
/// </summary>
public sealed class VerifiedClientSecrets(TimeProvider time)
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="secret"/> is the secret behind <paramref name="storedHash"/>.</summary>
    public bool Verify(string secret, string storedHash)
    {
        var key = Key(storedHash, secret);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now) return true;
        if (!SecretHasher.VerifyClientSecret(secret, storedHash)) return false;
        if (_verified.Count > PruneAbove) Prune(now);
        _verified[key] = now + RememberFor;
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, until) in _verified)
        {
            if (until <= now) _verified.TryRemove(key, out _);
        }
    }

    private static string Key(string storedHash, string secret) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{storedHash}\n{secret}")));
}
