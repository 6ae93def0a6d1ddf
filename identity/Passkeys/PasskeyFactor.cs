using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Passkeys;

/// <summary>
/// A passkey as the second factor of a sign-in: the person is already known from the password step, so the
/// request options list only their passkeys, and the answer must come from one of them.
/// </summary>
/// <remarks>
/// The caller (the second-factor page) owns the sign-in: it counts failures towards the lockout, records the
/// security events and adds <see cref="AuthenticationMethod"/> to the session's <c>amr</c>.
/// </remarks>
public sealed class PasskeyFactor(
    UserManager<HealthUser> users,
    IPasskeyHandler<HealthUser> handler,
    PasskeyCeremonies ceremonies,
    IdentityDb db,
    TimeProvider time,
    ILogger<PasskeyFactor> logger)
{
    /// <summary>RFC 8176 "hwk": proof of possession of a hardware-secured key.</summary>
    public const string AuthenticationMethod = "hwk";

    /// <summary>Whether the person has a passkey to offer on the second-factor page.</summary>
    public async Task<bool> IsAvailableAsync(HealthUser user) => (await users.GetPasskeysAsync(user)).Count > 0;

    /// <summary>
    /// Starts an assertion ceremony: the options for <c>navigator.credentials.get()</c>
    /// (PublicKeyCredentialRequestOptionsJSON). Valid for one answer within the authenticator timeout (5 minutes).
    /// </summary>
    public async Task<string> BeginAssertionAsync(HealthUser user, HttpContext http, CancellationToken ct = default)
    {
        var options = await handler.MakeRequestOptionsAsync(user, http);
        await ceremonies.RememberAsync(PasskeyCeremony.Assertion, user.Id, options.RequestOptionsJson, options.AssertionState, ct);
        return options.RequestOptionsJson;
    }

    /// <summary>
    /// Verifies the browser's answer (PublicKeyCredential JSON from <c>navigator.credentials.get()</c>): one of the
    /// person's passkeys signed the challenge issued to them, from the issuer's origin, with the person verified and
    /// a signature counter that moved forward. True only then; the challenge is used up either way.
    /// </summary>
    public async Task<bool> CompleteAssertionAsync(HealthUser user, string credentialJson, HttpContext http, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(credentialJson)) return false;
        var state = await ceremonies.TakeAsync(PasskeyCeremony.Assertion, user.Id, credentialJson, ct);
        if (state is null)
        {
            logger.LogInformation("Passkey assertion for {UserId} refused: no ceremony waits for this answer", user.Id);
            return false;
        }

        var assertion = await handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            CredentialJson = credentialJson,
            AssertionState = state,
            HttpContext = http,
        });
        if (!assertion.Succeeded)
        {
            logger.LogInformation("Passkey assertion for {UserId} refused: {Reason}", user.Id, assertion.Failure.Message);
            return false;
        }
        if (assertion.User.Id != user.Id)
        {
            logger.LogWarning("Passkey assertion for {UserId} was made with another account's passkey", user.Id);
            return false;
        }

        // The new signature counter and backup state must be kept, or the next answer could repeat this one's.
        var saved = await users.AddOrUpdatePasskeyAsync(user, assertion.Passkey);
        if (!saved.Succeeded)
        {
            logger.LogWarning("Passkey assertion for {UserId} verified but not saved: {Errors}", user.Id, string.Join(", ", saved.Errors.Select(e => e.Code)));
            return false;
        }
        await RecordUseAsync(assertion.Passkey.CredentialId, ct);
        return true;
    }

    private async Task RecordUseAsync(byte[] credentialId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var updated = await db.Set<PasskeyUse>()
            .Where(u => u.CredentialId == credentialId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastUsedAt, now), ct);
        if (updated == 0)
        {
            db.Add(new PasskeyUse { CredentialId = credentialId, LastUsedAt = now });
            await db.SaveChangesAsync(ct);
        }
    }
}
