using Microsoft.AspNetCore.DataProtection;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// TOTP secrets at rest: unlike a password, the secret must be readable to check a code, so it is
/// encrypted with Data Protection (keys in identity's database, rotated by the key ring) rather than
/// hashed. A copy of the users table alone does not reveal it.
/// </summary>
public sealed class TotpSecrets(IDataProtectionProvider dataProtection)
{
    /// <summary>The protector's purpose; changing it makes every stored secret unreadable.</summary>
    public const string Purpose = "Gosuslugi.Health.Identity.Totp.v1";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    /// <summary>What to store in <c>HealthUser.TotpSecret</c> for a base32 secret.</summary>
    public string Protect(string base32) => _protector.Protect(base32);

    /// <summary>The base32 secret back from a stored value; throws <see cref="System.Security.Cryptography.CryptographicException"/> when it was tampered with or its key is gone.</summary>
    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
