using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Identity.Admin;

// What an operator sees of an account. An operator handles "I cannot sign in", "my account is locked", "make this
// person a doctor": for that they need to find the account, recognise it, and see its state (roles, level, lock,
// factors, sessions). They never need medical data (it is not in identity at all), and they need no identity
// documents or full contacts on screen: they search with what the caller tells them (an exact phone number, e-mail or
// SNILS finds the account) and compare, so the list and the card show contacts masked and documents only as "filled
// in or not". A stolen operator session then leaks as little as possible about the people behind the accounts.

/// <summary>One row of the account list.</summary>
/// <param name="Phone">Masked: "+7 912 ***-**-89".</param>
/// <param name="Email">Masked: "iv***@mail.ru".</param>
/// <param name="LockedUntil">When a lock is in force; null otherwise.</param>
public sealed record AdminAccountSummary(
    Guid Id,
    string? Login,
    string Name,
    IReadOnlyList<string> Roles,
    string Level,
    string? Phone,
    string? Email,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt);

public sealed record AdminAccountPage(IReadOnlyList<AdminAccountSummary> Items, string? NextCursor);

public sealed record AdminOrganizationView(Guid Id, string? Name);

/// <summary>Whether the documents of a standard account are filled in; never the documents themselves.</summary>
public sealed record AdminDocumentsView(bool Snils, bool Passport, bool OmsPolicy);

public sealed record AdminSecondFactorsView(bool Totp, int Passkeys);

/// <summary>An account's card.</summary>
public sealed record AdminAccountView(
    Guid Id,
    string? Login,
    string Name,
    IReadOnlyList<string> Roles,
    string Level,
    DateTimeOffset? LevelConfirmedAt,
    string? Phone,
    bool PhoneConfirmed,
    string? Email,
    bool EmailConfirmed,
    AdminDocumentsView Documents,
    AdminSecondFactorsView SecondFactors,
    AdminOrganizationView? Organization,
    bool ManagedByGuardian,
    DateTimeOffset? LockedUntil,
    int FailedSignInAttempts,
    int ActiveSessions,
    DateTimeOffset CreatedAt);

public sealed record AdminRolesRequest(IReadOnlyList<string>? Roles) : IJsonRequest<AdminRolesRequest>;

/// <param name="Until">When the lock ends; null locks until an operator unlocks.</param>
/// <param name="Reason">Why, for the audit log.</param>
public sealed record AdminLockRequest(DateTimeOffset? Until, string? Reason) : IJsonRequest<AdminLockRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<AdminLockRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["until"] = RequestFormats.Moment("Момент окончания блокировки"),
    };
}

public sealed record KeyRotationView(string? PreviousKeyId, string CurrentKeyId, string NextKeyId, DateTimeOffset RotatedAt);
