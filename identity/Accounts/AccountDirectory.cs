using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>Finding accounts by what a person types (phone, e-mail, SNILS, login) and keeping contacts unique.</summary>
public sealed class AccountDirectory(IdentityDb db, UserManager<HealthUser> users)
{
    /// <summary>True when another account (not <paramref name="exceptUserId"/>) has this phone (+7XXXXXXXXXX) as its number or login.</summary>
    public Task<bool> PhoneTakenAsync(string phone, Guid? exceptUserId, CancellationToken ct)
    {
        var login = users.NormalizeName(phone);
        return db.Users.AnyAsync(u => (u.PhoneNumber == phone || u.NormalizedUserName == login) && u.Id != exceptUserId, ct);
    }

    /// <summary>True when another account has this (normalized, lower-case) e-mail address.</summary>
    public Task<bool> EmailTakenAsync(string email, Guid? exceptUserId, CancellationToken ct)
    {
        var normalized = users.NormalizeEmail(email);
        return db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Id != exceptUserId, ct);
    }

    /// <summary>
    /// The account a person means by <paramref name="login"/>: a confirmed phone number in any usual spelling, a confirmed
    /// e-mail address, a SNILS, or the login itself. Null when none (or the account belongs to a child, who never signs in).
    /// </summary>
    public async Task<HealthUser?> FindByLoginAsync(string? login, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(login)) return null;
        login = login.Trim();
        HealthUser? user = null;
        if (PhoneNumbers.TryNormalize(login, out var phone))
        {
            user = await db.Users.Where(u => u.PhoneNumber == phone && u.PhoneNumberConfirmed).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(ct);
        }
        if (user is null && EmailAddresses.TryNormalize(login, out var email))
        {
            var normalized = users.NormalizeEmail(email);
            user = await db.Users.Where(u => u.NormalizedEmail == normalized && u.EmailConfirmed).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(ct);
        }
        if (user is null && Snils.TryNormalize(login, out var snils))
        {
            user = await db.Users.SingleOrDefaultAsync(u => u.Snils == snils, ct);
        }
        user ??= await users.FindByNameAsync(login);
        return user is { IsManagedByGuardian: false } ? user : null;
    }

    /// <summary>
    /// Serializes, until the current transaction ends, everyone who claims one of these contacts: of two registrations
    /// (or a registration and a contact change) racing for one phone number, the second sees the first's account.
    /// </summary>
    public async Task LockContactsAsync(IEnumerable<string> contacts, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Contact locks are held until the transaction ends: begin one first.");
        // One order for everyone, so that two holders of overlapping sets never wait for each other.
        foreach (var contact in contacts.Select(c => "account-contact:" + c.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({contact}))", ct);
    }
}
