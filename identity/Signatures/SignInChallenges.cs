using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Signatures;

/// <param name="Id">Names the challenge when its signature comes back.</param>
/// <param name="Payload">The exact bytes to sign (detached CMS).</param>
public sealed record SignInChallenge(Guid Id, byte[] Payload, DateTimeOffset ExpiresAt);

/// <summary>
/// One-time challenges for a sign-in by certificate, in Redis so that any instance can take what another issued. A
/// challenge is taken (and gone) at the first attempt to use it, right or wrong: a signature can never be replayed.
/// </summary>
public sealed class SignInChallenges(IKeyValueStore store, IOptions<SignatureOptions> options, TimeProvider time)
{
    private const string KeyPrefix = "identity:esign:challenge:";

    /// <summary>What every challenge starts with, so that a signature made for this purpose means nothing elsewhere.</summary>
    public const string Purpose = "gosuslugi-health-signin";

    public async Task<SignInChallenge> IssueAsync(CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var expiresAt = time.GetUtcNow() + options.Value.ChallengeLifetime;
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var payload = Encoding.UTF8.GetBytes($"{Purpose}\n{id}\n{nonce}\n{expiresAt:O}");
        await store.SetAsync(KeyPrefix + id.ToString("N"), Convert.ToBase64String(payload), options.Value.ChallengeLifetime, ct);
        return new SignInChallenge(id, payload, expiresAt);
    }

    /// <summary>The challenge's payload, once; null when it never existed, expired or was already used.</summary>
    public async Task<byte[]?> TakeAsync(Guid id, CancellationToken ct) =>
        await store.TakeAsync(KeyPrefix + id.ToString("N"), ct) is { } value ? Convert.FromBase64String(value) : null;
}
