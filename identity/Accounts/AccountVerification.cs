using System.Security.Cryptography;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Caching;

namespace Gosuslugi.Health.Identity.Accounts;

public enum VerificationOutcome { Confirmed, WrongCode, NotStandard }

public sealed record IssuedVerificationCode(string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// Raising a standard account to confirmed: an operator who has seen the person's passport either confirms the account
/// at once, or hands over a one-time verification code that the person enters in their profile. Only the code's hash is
/// kept (in Redis, 7 days); a few wrong entries burn it.
/// </summary>
public sealed class AccountVerification(
    IdentityDb db,
    IKeyValueStore store,
    PendingFlows flows,
    SecurityEvents securityEvents,
    TimeProvider time,
    ILogger<AccountVerification> logger)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromDays(7);
    public const int MaxWrongAttempts = 5;

    /// <summary>Without 0/O, 1/I/L: read aloud or copied from paper, nothing is mistaken. 32 symbols × 12 = 60 bits.</summary>
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private const int CodeLength = 12;

    /// <summary>How <c>LevelConfirmedBy</c> reads when the person entered a code: the prefix, then the operator who issued it.</summary>
    public const string InPersonCodePrefix = "in_person_code:";

    private sealed record StoredCode(string Hash, Guid IssuedBy, DateTimeOffset ExpiresAt);

    private static string CodeKey(Guid userId) => $"account:verification-code:{userId:D}";
    private static string AttemptsKey(Guid userId) => $"account:verification-attempts:{userId:D}";

    /// <summary>A new code for a standard account; it replaces any earlier one. Shown to the operator once.</summary>
    public async Task<IssuedVerificationCode> IssueCodeAsync(HealthUser user, Guid operatorId, CancellationToken ct)
    {
        var chars = new char[CodeLength];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
        var expiresAt = time.GetUtcNow() + CodeLifetime;

        await flows.SaveAsync(CodeKey(user.Id), new StoredCode(HashCode(user.Id, code), operatorId, expiresAt), expiresAt, ct);
        await store.DeleteAsync(AttemptsKey(user.Id), ct);
        await securityEvents.PublishAsync(SecurityEventKinds.AdminAccountChanged, user.Id, actorId: operatorId,
            details: new Dictionary<string, string> { ["action"] = "verification_code_issued" }, ct: ct);
        logger.LogInformation("Operator {OperatorId} issued a verification code for account {UserId}", operatorId, user.Id);
        return new IssuedVerificationCode(code, expiresAt);
    }

    /// <summary>The person enters the code they were handed: a match confirms the account and uses the code up.</summary>
    public async Task<VerificationOutcome> ConfirmWithCodeAsync(HealthUser user, string code, CancellationToken ct)
    {
        if (user.Level != AccountLevel.Standard) return VerificationOutcome.NotStandard;

        var stored = await flows.GetAsync<StoredCode>(CodeKey(user.Id), ct);
        var matches = stored is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(stored.Hash), Encoding.ASCII.GetBytes(HashCode(user.Id, code)));
        // Taking the code is what makes it single-use: of two requests with the right code, one confirms.
        if (matches && await flows.TakeAsync<StoredCode>(CodeKey(user.Id), ct) is { } taken)
        {
            await store.DeleteAsync(AttemptsKey(user.Id), ct);
            await ConfirmAsync(user, InPersonCodePrefix + taken.IssuedBy.ToString("D"), actorId: null, method: "in_person_code", ct);
            return VerificationOutcome.Confirmed;
        }

        if (stored is not null && await store.IncrementAsync(AttemptsKey(user.Id), CodeLifetime, ct) >= MaxWrongAttempts)
        {
            await store.DeleteAsync(CodeKey(user.Id), ct);
            logger.LogWarning("Verification code of account {UserId} burned after {Attempts} wrong entries", user.Id, MaxWrongAttempts);
        }
        await securityEvents.PublishAsync(SecurityEventKinds.AccountLevelChanged, user.Id, SecurityEvents.Failure,
            new Dictionary<string, string> { ["method"] = "in_person_code", ["reason"] = stored is null ? "no_code" : "wrong_code" }, ct: ct);
        return VerificationOutcome.WrongCode;
    }

    /// <summary>An operator verified the person's identity in person.</summary>
    public async Task<VerificationOutcome> ConfirmByOperatorAsync(HealthUser user, Guid operatorId, CancellationToken ct)
    {
        if (user.Level != AccountLevel.Standard) return VerificationOutcome.NotStandard;
        await store.DeleteAsync(CodeKey(user.Id), ct); // a code handed out earlier has nothing left to confirm
        await ConfirmAsync(user, operatorId.ToString("D"), operatorId, method: "operator", ct);
        return VerificationOutcome.Confirmed;
    }

    private async Task ConfirmAsync(HealthUser user, string confirmedBy, Guid? actorId, string method, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        user.Level = AccountLevel.Confirmed;
        user.LevelConfirmedAt = now;
        user.LevelConfirmedBy = confirmedBy;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        db.AddOutboxEvent(new AccountLevelChanged(user.Id, AccountClaims.LevelValue(AccountLevel.Confirmed), now));
        securityEvents.Add(SecurityEventKinds.AccountLevelChanged, user.Id, actorId: actorId, details: new Dictionary<string, string>
        {
            ["from"] = AccountClaims.LevelValue(AccountLevel.Standard),
            ["to"] = AccountClaims.LevelValue(AccountLevel.Confirmed),
            ["method"] = method,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Account {UserId} confirmed ({Method})", user.Id, method);
    }

    /// <summary>Typed with or without hyphens and spaces, in any case; bound to the account so a code is useless for another.</summary>
    private static string HashCode(Guid userId, string code)
    {
        var canonical = new string([.. code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        return PendingFlows.Hash($"{userId:D}:{canonical}");
    }
}
