using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>Checking and setting a password with the account's own policy and hasher (one PBKDF2 run per set).</summary>
public sealed class AccountPasswords(UserManager<HealthUser> users)
{
    /// <summary>The policy's errors for <paramref name="password"/> as the password of <paramref name="user"/> (empty when it is acceptable).</summary>
    public async Task<IReadOnlyList<IdentityError>> ValidateAsync(HealthUser user, string? password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded) errors.AddRange(result.Errors);
        }
        return errors;
    }

    /// <summary>
    /// Replaces the password hash and the security stamp (which ends sign-in cookies elsewhere) without saving: the
    /// caller adds its events and calls <see cref="UserManager{TUser}.UpdateAsync"/>, so everything commits together.
    /// </summary>
    public void Set(HealthUser user, string password)
    {
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
    }
}
