using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>What a person's tokens say about them, read fresh at every issue (code, refresh), so a change counts at once.</summary>
/// <param name="Roles">Identity roles, ordered.</param>
/// <param name="AccountLevel">simplified, standard or confirmed (<c>acc_level</c>).</param>
/// <param name="PersonalDataConsent">For patients: whether their consent is in force; null for other people.</param>
public sealed record PersonClaimValues(IReadOnlyList<string> Roles, string AccountLevel, bool? PersonalDataConsent)
{
    public bool IsPatient => Roles.Contains(HealthRoles.Patient);
}

public sealed class PersonClaims(UserManager<HealthUser> users, AccountClaims accounts)
{
    public async Task<PersonClaimValues> LoadAsync(HealthUser user, CancellationToken ct)
    {
        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        // Consent to the processing of personal data matters for a patient's own record; staff get none.
        bool? consent = roles.Contains(HealthRoles.Patient) ? await accounts.ConsentInForceAsync(user.Id, ct) is not null : null;
        return new PersonClaimValues(roles, AccountClaims.LevelValue(user.Level), consent);
    }
}
