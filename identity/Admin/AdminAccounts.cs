using System.Globalization;
using System.Text;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Admin;

/// <summary>A filter of the account list; every part optional.</summary>
/// <param name="Text">Part of a login or name, or an exact phone number, e-mail or SNILS.</param>
public sealed record AdminAccountFilter(string? Text, string? Role, AccountLevel? Level, AdminAccountCursor? After, int Limit);

/// <summary>Where a page ended: accounts are listed newest first, by (created, id).</summary>
public sealed record AdminAccountCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() =>
        Base64UrlEncoder.Encode(Encoding.ASCII.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string value, out AdminAccountCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64UrlEncoder.DecodeBytes(value)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }
            cursor = new AdminAccountCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public enum AdminChange
{
    Done,
    NotFound,

    /// <summary>The change would leave no operator who can sign in.</summary>
    LastAdmin,

    /// <summary>An operator may not lock themselves out.</summary>
    OwnAccount,

    /// <summary>A doctor belongs to a medical organization, and this account has none.</summary>
    DoctorWithoutOrganization,
}

/// <summary>
/// What an operator does with accounts: find them, see their state, change their roles, lock and unlock them. Every
/// change is an <see cref="SecurityEventKinds.AdminAccountChanged"/> event naming the operator.
/// </summary>
public sealed class AdminAccounts(
    IdentityDb db,
    UserManager<HealthUser> users,
    SessionStore sessions,
    SecurityEvents events,
    TimeProvider time,
    ILogger<AdminAccounts> logger)
{
    public const int MaxPageSize = 100;

    // pg_advisory_xact_lock key: two operators demoting each other at once must not both succeed.
    private const long AdminRolesLock = 0x6164_6d69_6e73; // "admins"

    public async Task<AdminAccountPage> ListAsync(AdminAccountFilter filter, CancellationToken ct)
    {
        IQueryable<HealthUser> query = db.Users.AsNoTracking();
        if (filter.Role is { } role)
        {
            var normalizedRole = role.ToUpperInvariant();
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id
                                                            && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == normalizedRole)));
        }
        if (filter.Level is { } level) query = query.Where(u => u.Level == level);
        if (filter.Text is { Length: > 0 } text)
        {
            var like = "%" + EscapeLike(text) + "%";
            var phone = PhoneNumbers.TryNormalize(text, out var p) ? p : null;
            var snils = Snils.TryNormalize(text, out var s) ? s : null;
            var email = EmailAddresses.TryNormalize(text, out var e) ? e.ToUpperInvariant() : null;
            // SNILS finds an account but is never shown: the caller tells it, the operator does not read it.
            query = query.Where(u =>
                EF.Functions.ILike(u.UserName!, like, "\\")
                || EF.Functions.ILike(u.FamilyName, like, "\\")
                || EF.Functions.ILike(u.GivenName, like, "\\")
                || (u.MiddleName != null && EF.Functions.ILike(u.MiddleName, like, "\\"))
                || (email != null && u.NormalizedEmail == email)
                || (phone != null && u.PhoneNumber == phone)
                || (snils != null && u.Snils == snils));
        }
        if (filter.After is { } after)
        {
            query = query.Where(u => EF.Functions.LessThan(
                ValueTuple.Create(u.CreatedAt, u.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        var page = await query
            .OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id)
            .Take(filter.Limit + 1)
            .ToListAsync(ct);
        var hasMore = page.Count > filter.Limit;
        if (hasMore) page.RemoveAt(page.Count - 1);

        var roles = await RolesOfAsync(page.Select(u => u.Id).ToArray(), ct);
        var now = time.GetUtcNow();
        var items = page.Select(u => new AdminAccountSummary(
            u.Id, u.UserName, u.FullName, roles.GetValueOrDefault(u.Id, []), AccountClaimsLevel(u.Level),
            MaskedPhone(u), MaskedEmail(u), LockedUntil(u, now), u.CreatedAt)).ToList();
        var next = hasMore ? new AdminAccountCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return new AdminAccountPage(items, next);
    }

    public async Task<AdminAccountView?> FindAsync(Guid id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? null : await ViewAsync(user, ct);
    }

    /// <summary>
    /// Replaces the roles of a person (patient, doctor, admin; a client's role is not a person's). Taking a role away
    /// ends the person's sessions, so that tokens with the old role stop at once instead of in minutes.
    /// </summary>
    public async Task<(AdminChange Outcome, AdminAccountView? Account)> SetRolesAsync(
        Guid id, IReadOnlyList<string> roles, Guid actorId, string? clientId, CancellationToken ct)
    {
        var (outcome, removed) = await db.Database.CreateExecutionStrategy().ExecuteAsync<(AdminChange, string[])>(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminRolesLock})", ct);
            var user = await users.FindByIdAsync(id.ToString());
            if (user is null) return (AdminChange.NotFound, []);

            var current = await users.GetRolesAsync(user);
            var wanted = roles.Distinct(StringComparer.Ordinal).ToList();
            var toAdd = wanted.Except(current, StringComparer.Ordinal).ToList();
            var toRemove = current.Except(wanted, StringComparer.Ordinal).ToList();
            if (toAdd.Contains(HealthRoles.Doctor) && user.OrganizationId is null) return (AdminChange.DoctorWithoutOrganization, []);
            if (toRemove.Contains(HealthRoles.Admin) && !await AnotherActiveAdminExistsAsync(user.Id)) return (AdminChange.LastAdmin, []);
            if (toAdd.Count == 0 && toRemove.Count == 0) return (AdminChange.Done, []);

            // Each call saves and renews the security stamp; all of it commits or none.
            if (toRemove.Count > 0) Check(await users.RemoveFromRolesAsync(user, toRemove));
            if (toAdd.Count > 0) Check(await users.AddToRolesAsync(user, toAdd));
            events.Add(SecurityEventKinds.AdminAccountChanged, user.Id, actorId: actorId, clientId: clientId,
                details: new Dictionary<string, string>
                {
                    ["action"] = "roles",
                    ["roles"] = string.Join(' ', wanted.Order(StringComparer.Ordinal)),
                    ["added"] = string.Join(' ', toAdd),
                    ["removed"] = string.Join(' ', toRemove),
                });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Operator {ActorId} changed the roles of {UserId}: +[{Added}] -[{Removed}]",
                actorId, user.Id, string.Join(',', toAdd), string.Join(',', toRemove));
            return (AdminChange.Done, toRemove.ToArray());
        });

        if (outcome != AdminChange.Done) return (outcome, null);
        if (removed.Length > 0) await sessions.EndAllAsync(id, SessionEndReasons.Admin, exceptSessionId: null, ct);
        return (AdminChange.Done, await FindAsync(id, ct));
    }

    /// <summary>Locks an account until <paramref name="until"/> and ends all its sessions: its tokens stop at once.</summary>
    public async Task<(AdminChange Outcome, AdminAccountView? Account)> LockAsync(
        Guid id, DateTimeOffset until, string reason, Guid actorId, string? clientId, CancellationToken ct)
    {
        if (id == actorId) return (AdminChange.OwnAccount, null);
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return (AdminChange.NotFound, null);

        user.LockoutEnabled = true;
        user.LockoutEnd = until;
        events.Add(SecurityEventKinds.AdminAccountChanged, user.Id, actorId: actorId, clientId: clientId,
            details: new Dictionary<string, string>
            {
                ["action"] = "lock",
                ["until"] = until.ToString("O", CultureInfo.InvariantCulture),
                ["reason"] = reason,
            });
        // Saves the event with the user; a new security stamp also invalidates the sign-in cookie on its next check.
        Check(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAllAsync(user.Id, SessionEndReasons.Admin, exceptSessionId: null, ct);
        logger.LogInformation("Operator {ActorId} locked {UserId} until {Until}", actorId, user.Id, until);
        return (AdminChange.Done, await FindAsync(id, ct));
    }

    /// <summary>Lifts any lock, an operator's or a lockout after failed sign-ins, and forgets the failures.</summary>
    public async Task<(AdminChange Outcome, AdminAccountView? Account)> UnlockAsync(Guid id, Guid actorId, string? clientId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return (AdminChange.NotFound, null);

        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        user.ConsecutiveLockouts = 0;
        events.Add(SecurityEventKinds.AdminAccountChanged, user.Id, actorId: actorId, clientId: clientId,
            details: new Dictionary<string, string> { ["action"] = "unlock" });
        Check(await users.UpdateAsync(user));
        logger.LogInformation("Operator {ActorId} unlocked {UserId}", actorId, user.Id);
        return (AdminChange.Done, await FindAsync(id, ct));
    }

    private async Task<bool> AnotherActiveAdminExistsAsync(Guid exceptUserId)
    {
        var now = time.GetUtcNow();
        return (await users.GetUsersInRoleAsync(HealthRoles.Admin))
            .Any(u => u.Id != exceptUserId && !(u.LockoutEnabled && u.LockoutEnd > now));
    }

    private async Task<AdminAccountView> ViewAsync(HealthUser user, CancellationToken ct)
    {
        var roles = await RolesOfAsync([user.Id], ct);
        var cutoff = sessions.IdleCutoff;
        var activeSessions = await db.Sessions.CountAsync(s => s.UserId == user.Id && s.EndedAt == null && s.LastSeenAt > cutoff, ct);
        var passkeys = await db.UserPasskeys.CountAsync(p => p.UserId == user.Id, ct);
        return new AdminAccountView(
            user.Id,
            user.UserName,
            user.FullName,
            roles.GetValueOrDefault(user.Id, []),
            AccountClaimsLevel(user.Level),
            user.LevelConfirmedAt,
            MaskedPhone(user),
            user.PhoneNumberConfirmed,
            MaskedEmail(user),
            user.EmailConfirmed,
            // Whether a document is there needs no key: the operator never sees the documents themselves.
            new AdminDocumentsView(user.Snils is not null, user.Passport is not null, user.OmsPolicy is not null),
            new AdminSecondFactorsView(user.TotpEnabledAt is not null, passkeys),
            user.OrganizationId is { } orgId ? new AdminOrganizationView(orgId, user.OrganizationName) : null,
            user.IsManagedByGuardian,
            LockedUntil(user, time.GetUtcNow()),
            user.AccessFailedCount,
            activeSessions,
            user.CreatedAt);
    }

    private async Task<Dictionary<Guid, IReadOnlyList<string>>> RolesOfAsync(Guid[] userIds, CancellationToken ct)
    {
        var rows = await db.UserRoles.AsNoTracking()
            .Where(ur => userIds.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)g.Select(r => r.Name!).Order(StringComparer.Ordinal).ToList());
    }

    private static string AccountClaimsLevel(AccountLevel level) => Accounts.AccountClaims.LevelValue(level);

    private static string? MaskedPhone(HealthUser user) => user.PhoneNumber is { } phone ? PhoneNumbers.Mask(phone) : null;

    private static string? MaskedEmail(HealthUser user) => user.Email is { } email ? EmailAddresses.Mask(email.ToLowerInvariant()) : null;

    private static DateTimeOffset? LockedUntil(HealthUser user, DateTimeOffset now) =>
        user.LockoutEnabled && user.LockoutEnd > now ? user.LockoutEnd : null;

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Identity refused an operator's change: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
