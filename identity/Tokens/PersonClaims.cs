using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>What a person's tokens say about them, read fresh at every issue (code, refresh), so a change counts at once.</summary>
/// <param name="Roles">Identity roles, ordered.</param>
/// <param name="AccountLevel">simplified, standard or confirmed (<c>acc_level</c>).</param>
/// <param name="PersonalDataConsent">For patients: whether their consent is in force; null for other people.</param>
public sealed record PersonClaimValues(IReadOnlyList<string> Roles, string AccountLevel, bool? PersonalDataConsent)
{
    public bool IsPatient => Roles.Contains(HealthRoles.Patient);
}

/// <summary>A person as a grant reads them: the account and what their tokens will say.</summary>
public sealed record GrantedPerson(HealthUser User, PersonClaimValues Claims);

public sealed class PersonClaims(IdentityDb db)
{
    /// <summary>
    /// The person (not tracked), their roles and whether their consent is in force, in one round trip: every code and
    /// refresh grant reads them (three queries before: the user, the roles, the consent).
    /// </summary>
    public async Task<GrantedPerson?> LoadAsync(Guid userId, CancellationToken ct)
    {
        var row = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                User = u,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                Consent = db.PersonalDataConsents.Any(c => c.UserId == u.Id && c.WithdrawnAt == null),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var roles = row.Roles.Order(StringComparer.Ordinal).ToList();
        // Consent to the processing of personal data matters for a patient's own record; staff get none.
        bool? consent = roles.Contains(HealthRoles.Patient) ? row.Consent : null;
        return new GrantedPerson(row.User, new PersonClaimValues(roles, AccountClaims.LevelValue(row.User.Level), consent));
    }
}
