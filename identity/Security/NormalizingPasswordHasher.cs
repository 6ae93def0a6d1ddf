using System.Text;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// Identity's PBKDF2 hasher over the NFKC form of the password (NIST SP 800-63B §5.1.1.2): the same
/// password typed on a keyboard that composes characters differently still verifies. ASCII passwords,
/// and so every hash made before, are unchanged by NFKC.
/// </summary>
/// <remarks>
/// The format and cost come from <see cref="PasswordHasherOptions"/> (<see cref="Configure"/>): Identity
/// V3, i.e. PBKDF2-HMAC-SHA512 with a 128-bit salt, at 210,000 iterations (the OWASP Password Storage
/// Cheat Sheet's figure for PBKDF2-HMAC-SHA512). A hash made with fewer iterations verifies with
/// <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>, and UserManager stores a new one.
/// </remarks>
public sealed class NormalizingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<HealthUser>
{
    public const int IterationCount = 210_000;

    private readonly PasswordHasher<HealthUser> _inner = new(options);

    public static void Configure(PasswordHasherOptions options)
    {
        options.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
        options.IterationCount = IterationCount;
    }

    public string HashPassword(HealthUser user, string password) => _inner.HashPassword(user, Normalize(password));

    public PasswordVerificationResult VerifyHashedPassword(HealthUser user, string hashedPassword, string providedPassword) =>
        _inner.VerifyHashedPassword(user, hashedPassword, Normalize(providedPassword));

    /// <summary>Text that cannot be normalized (a lone surrogate) is hashed as given: the policy never lets it become a password.</summary>
    private static string Normalize(string password) =>
        PasswordPolicy.TryNormalize(password, out var normalized) ? normalized : password;
}
