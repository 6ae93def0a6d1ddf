using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// A person who signs in: a patient, a doctor or an operator. What they may do comes from their
/// Identity roles (<see cref="HealthRoles"/>); a doctor belongs to one medical organization.
/// </summary>
public sealed class HealthUser : IdentityUser<Guid>
{
    public HealthUser()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    /// <summary>SNILS as 11 digits without separators (see <see cref="Snils"/>); patients only.</summary>
    public string? Snils { get; set; }

    public required string FamilyName { get; set; }
    public required string GivenName { get; set; }
    public string? MiddleName { get; set; }
    public DateOnly? BirthDate { get; set; }

    /// <summary>The medical organization a doctor works for.</summary>
    public Guid? OrganizationId { get; set; }
    public string? OrganizationName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public AccountLevel Level { get; set; } = AccountLevel.Simplified;

    /// <summary>When and how the identity was verified (operator id, or "in_person_code").</summary>
    public DateTimeOffset? LevelConfirmedAt { get; set; }
    public string? LevelConfirmedBy { get; set; }

    /// <summary>
    /// The passport (<see cref="PassportDetails"/>), sealed with the person's data key (AES-256-GCM, the key wrapped in
    /// the HSM): a copy of the database does not give away identity documents. Null when none was entered.
    /// </summary>
    public Sealed? Passport { get; set; }

    /// <summary>The OMS policy (<see cref="OmsPolicyDetails"/>), sealed like <see cref="Passport"/>. Null when none was entered.</summary>
    public Sealed? OmsPolicy { get; set; }

    /// <summary>
    /// Blind index of the OMS policy number: HMAC-SHA256 of the normalised number with a key inside the HSM. Equal
    /// numbers give equal indexes, so the uniqueness check and the unique index work on it without the number itself.
    /// </summary>
    public byte[]? OmsPolicyNumberIndex { get; set; }

    /// <summary>Lockouts in a row without a successful sign-in: each one lasts longer (5 minutes up to 1 hour).</summary>
    public int ConsecutiveLockouts { get; set; }

    /// <summary>The TOTP (RFC 6238) secret, protected with Data Protection; null when no authenticator app is set up.</summary>
    public string? TotpSecret { get; set; }
    public DateTimeOffset? TotpEnabledAt { get; set; }

    /// <summary>The last accepted TOTP time step: a code of this step or earlier is a replay.</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>A child's account is created by a guardian and is reachable only through a delegation; nobody signs in to it.</summary>
    public bool IsManagedByGuardian { get; set; }

    public string FullName => string.Join(' ', new[] { FamilyName, GivenName, MiddleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
