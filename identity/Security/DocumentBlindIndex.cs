using System.Text;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.ServiceDefaults.Hsm;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// Blind indexes of document numbers that must stay unique while stored sealed: HMAC-SHA256 inside the HSM with a
/// generic-secret key that never leaves it, over the document kind and the normalised number. Equal numbers give equal
/// indexes; without the HSM key an index reveals nothing and cannot be recomputed from a guessed number (16 digits
/// are few enough to try them all against a plain hash).
/// </summary>
public sealed class DocumentBlindIndex(Pkcs11Hsm hsm, IServiceScopeFactory scopes, ILogger<DocumentBlindIndex> logger)
{
    /// <summary>The HMAC key's label in identity's HSM token.</summary>
    public const string Key = "document-blind-index";

    private volatile bool _keyReady;

    /// <summary>The index of a normalised 16-digit OMS policy number (see <see cref="OmsPolicy.TryNormalize"/>).</summary>
    public async ValueTask<byte[]> OmsPolicyNumberAsync(string normalizedNumber, CancellationToken ct)
    {
        await EnsureKeyAsync(ct);
        // The kind is part of the input: the same digits in another document kind must not index alike.
        return hsm.HmacSha256(Key, Encoding.UTF8.GetBytes("oms-policy-number:" + normalizedNumber));
    }

    private async ValueTask EnsureKeyAsync(CancellationToken ct)
    {
        if (_keyReady) return;
        if (!hsm.HasSecretKey(Key))
        {
            // Indexes already stored were made with a key this token lacks (another token, a lost key): a new key would
            // index the same number differently and let a duplicate policy in unnoticed, so refuse (503) instead.
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<IdentityDb>().Users.AnyAsync(u => u.OmsPolicyNumberIndex != null, ct))
                throw new HsmUnavailableException($"The HSM holds no key {Key}, but the database has document indexes made with one.");
            hsm.EnsureHmacKey(Key);
            logger.LogInformation("Document numbers are indexed with HSM key {KeyLabel} from now on", Key);
        }
        _keyReady = true;
    }
}
