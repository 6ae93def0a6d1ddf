using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Passkeys;

/// <summary>
/// When a passkey last proved a sign-in, so that a person can spot one they no longer use (or did not use).
/// Identity's passkey record has no such field; this row sits beside it and goes when the passkey goes.
/// </summary>
public sealed class PasskeyUse
{
    public required byte[] CredentialId { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Applied by <c>IdentityDb.OnModelCreating</c>.</summary>
    public static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<PasskeyUse>(use =>
    {
        use.ToTable("passkey_uses");
        use.HasKey(u => u.CredentialId);
        use.Property(u => u.CredentialId).HasMaxLength(1024);
        use.HasOne<IdentityUserPasskey<Guid>>()
            .WithOne()
            .HasForeignKey<PasskeyUse>(u => u.CredentialId)
            .OnDelete(DeleteBehavior.Cascade);
    });
}
