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

    public string FullName => string.Join(' ', new[] { FamilyName, GivenName, MiddleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
