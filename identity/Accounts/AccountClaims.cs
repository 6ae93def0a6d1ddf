using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// What the token service writes into <c>acc_level</c> and <c>pd_consent</c>: the account level and whether consent to
/// the processing of personal data is in force now. Read at every issue (code, refresh, exchange), so a change takes
/// effect with the next token.
/// </summary>
public sealed class AccountClaims(IdentityDb db)
{
    /// <summary>The claim value of a level: simplified, standard or confirmed.</summary>
    public static string LevelValue(AccountLevel level) => level switch
    {
        AccountLevel.Simplified => HealthClaims.AccountLevels.Simplified,
        AccountLevel.Standard => HealthClaims.AccountLevels.Standard,
        AccountLevel.Confirmed => HealthClaims.AccountLevels.Confirmed,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The consent in force (the latest not withdrawn), or null.</summary>
    public Task<PersonalDataConsent?> ConsentInForceAsync(Guid userId, CancellationToken ct = default) =>
        db.PersonalDataConsents
            .Where(c => c.UserId == userId && c.WithdrawnAt == null)
            .OrderByDescending(c => c.GivenAt)
            .ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);

    /// <summary>The latest consent given, in force or withdrawn, or null when none was ever given.</summary>
    public Task<PersonalDataConsent?> LatestConsentAsync(Guid userId, CancellationToken ct = default) =>
        db.PersonalDataConsents
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.GivenAt)
            .ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);
}
