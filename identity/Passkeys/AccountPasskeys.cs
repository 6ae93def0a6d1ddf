using System.Buffers.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Passkeys;

/// <summary>A passkey as its owner sees it; <see cref="Id"/> is the credential id, base64url.</summary>
public sealed record PasskeySummary(string Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public enum PasskeyRegistrationOutcome
{
    Registered,

    /// <summary>No ceremony is waiting for this answer: it came too late, twice, or for a challenge never issued.</summary>
    NoCeremony,

    /// <summary>The authenticator's answer did not verify (origin, RP ID, user verification, format, a key already registered).</summary>
    Refused,
}

public sealed record PasskeyRegistration(PasskeyRegistrationOutcome Outcome, PasskeySummary? Passkey = null);

/// <summary>A person's own passkeys: list, register (a WebAuthn creation ceremony) and remove.</summary>
public sealed class AccountPasskeys(
    UserManager<HealthUser> users,
    IPasskeyHandler<HealthUser> handler,
    PasskeyCeremonies ceremonies,
    IdentityDb db,
    SecurityEvents securityEvents,
    ILogger<AccountPasskeys> logger)
{
    public const string FactorName = "passkey";

    public async Task<IReadOnlyList<PasskeySummary>> ListAsync(HealthUser user, CancellationToken ct)
    {
        var passkeys = await users.GetPasskeysAsync(user);
        var lastUses = await (
                from use in db.Set<PasskeyUse>()
                join passkey in db.UserPasskeys on use.CredentialId equals passkey.CredentialId
                where passkey.UserId == user.Id
                select use)
            .AsNoTracking()
            .ToListAsync(ct);
        return passkeys
            .Select(p => Summary(p, lastUses.FirstOrDefault(u => u.CredentialId.AsSpan().SequenceEqual(p.CredentialId))?.LastUsedAt))
            .OrderByDescending(p => p.CreatedAt)
            .ToList();
    }

    /// <summary>
    /// Starts a creation ceremony: the options for <c>navigator.credentials.create()</c>
    /// (PublicKeyCredentialCreationOptionsJSON), with the person's existing passkeys excluded.
    /// </summary>
    public async Task<string> BeginRegistrationAsync(HealthUser user, HttpContext http, CancellationToken ct)
    {
        var entity = new PasskeyUserEntity
        {
            // The user handle is the account id: stable, and tells the authenticator nothing about the person.
            Id = user.Id.ToString(),
            Name = user.UserName ?? user.Id.ToString(),
            DisplayName = user.FullName,
        };
        var options = await handler.MakeCreationOptionsAsync(entity, http);
        await ceremonies.RememberAsync(PasskeyCeremony.Creation, user.Id, options.CreationOptionsJson, options.AttestationState, ct);
        return options.CreationOptionsJson;
    }

    /// <summary>Verifies the browser's answer (PublicKeyCredential JSON) and stores the passkey under <paramref name="name"/>.</summary>
    public async Task<PasskeyRegistration> CompleteRegistrationAsync(HealthUser user, string credentialJson, string name, HttpContext http, CancellationToken ct)
    {
        var state = await ceremonies.TakeAsync(PasskeyCeremony.Creation, user.Id, credentialJson, ct);
        if (state is null) return new(PasskeyRegistrationOutcome.NoCeremony);

        var attestation = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            CredentialJson = credentialJson,
            AttestationState = state,
            HttpContext = http,
        });
        if (!attestation.Succeeded)
        {
            logger.LogInformation("Passkey registration for {UserId} refused: {Reason}", user.Id, attestation.Failure.Message);
            return new(PasskeyRegistrationOutcome.Refused);
        }
        // The state is keyed by this person already; the check keeps that true if the keying ever changes.
        if (!string.Equals(attestation.UserEntity.Id, user.Id.ToString(), StringComparison.Ordinal))
        {
            logger.LogWarning("Passkey registration for {UserId} answered a ceremony of another account", user.Id);
            return new(PasskeyRegistrationOutcome.Refused);
        }

        var passkey = attestation.Passkey;
        passkey.Name = name;
        db.Add(new PasskeyUse { CredentialId = passkey.CredentialId });
        securityEvents.Add(SecurityEventKinds.SecondFactorChanged, user.Id, details: Details("added", passkey.CredentialId));
        try
        {
            var saved = await users.AddOrUpdatePasskeyAsync(user, passkey);
            if (!saved.Succeeded)
            {
                logger.LogWarning("Passkey registration for {UserId} not saved: {Errors}", user.Id, string.Join(", ", saved.Errors.Select(e => e.Code)));
                db.ChangeTracker.Clear();
                return new(PasskeyRegistrationOutcome.Refused);
            }
        }
        catch (DbUpdateException ex)
        {
            // The same credential registered at the same moment by a parallel request: its primary key says no.
            logger.LogInformation(ex, "Passkey registration for {UserId} lost a race for its credential id", user.Id);
            db.ChangeTracker.Clear();
            return new(PasskeyRegistrationOutcome.Refused);
        }
        return new(PasskeyRegistrationOutcome.Registered, Summary(passkey, lastUsedAt: null));
    }

    /// <summary>Removes the person's passkey; false when they have none with that id (someone else's included).</summary>
    public async Task<bool> RemoveAsync(HealthUser user, byte[] credentialId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (await users.GetPasskeyAsync(user, credentialId) is null) return false;

        securityEvents.Add(SecurityEventKinds.SecondFactorChanged, user.Id, details: Details("removed", credentialId));
        var removed = await users.RemovePasskeyAsync(user, credentialId);
        if (!removed.Succeeded)
        {
            db.ChangeTracker.Clear();
            throw new InvalidOperationException("The passkey was not removed: " + string.Join(", ", removed.Errors.Select(e => e.Code)));
        }
        return true;
    }

    /// <summary>Parses an id from a URL; null when it is not base64url of a plausible credential id.</summary>
    public static byte[]? ParseId(string id)
    {
        if (id.Length is 0 or > 1400 || !Base64Url.IsValid(id)) return null;
        var bytes = Base64Url.DecodeFromChars(id);
        return bytes.Length is > 0 and <= 1023 ? bytes : null;
    }

    public static string FormatId(byte[] credentialId) => Base64Url.EncodeToString(credentialId);

    private static PasskeySummary Summary(UserPasskeyInfo passkey, DateTimeOffset? lastUsedAt) =>
        new(FormatId(passkey.CredentialId), passkey.Name, passkey.CreatedAt, lastUsedAt);

    /// <summary>The credential id is public (the browser sends it with every sign-in); its start is enough to match the list.</summary>
    private static Dictionary<string, string> Details(string change, byte[] credentialId)
    {
        var id = FormatId(credentialId);
        return new()
        {
            ["factor"] = FactorName,
            ["change"] = change,
            ["passkey"] = id.Length <= 16 ? id : id[..16],
        };
    }
}
