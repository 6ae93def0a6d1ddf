using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>
/// The password rules of OWASP ASVS 5.0 (§6.2) and NIST SP 800-63B: length is what counts, so at least
/// 8 and up to 128 characters, any Unicode (spaces included), no composition rules, and nothing from
/// the list of the most common passwords or equal to the account's own login, phone, e-mail or SNILS.
/// It replaces Identity's default validator (whose rules are composition rules).
/// </summary>
/// <remarks>
/// Checks run on the NFKC form of the password — the same form <see cref="NormalizingPasswordHasher"/>
/// hashes — so that "é" typed as one code point or as "e" + accent is one password, and a full-width
/// "ｐａｓｓｗｏｒｄ" is still "password". Length is counted in Unicode code points, as NIST asks.
/// </remarks>
public sealed class PasswordPolicy : IPasswordValidator<HealthUser>
{
    public const int MinimumLength = 8;

    /// <summary>ASVS asks to allow at least 64; much longer only feeds PBKDF2 a denial of service.</summary>
    public const int MaximumLength = 128;

    public const string ResourceName = "Gosuslugi.Health.Identity.Security.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommonPasswords);

    /// <summary>The passwords refused as too common (lower case, NFKC): the embedded list.</summary>
    public static FrozenSet<string> CommonPasswords => Common.Value;

    /// <summary>Identity's own rules set to the policy: length only, no composition rules (kept consistent for anything that reads the options).</summary>
    public static void Configure(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequiredUniqueChars = 1;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
    }

    public Task<IdentityResult> ValidateAsync(UserManager<HealthUser> manager, HealthUser user, string? password)
    {
        var errors = Check(password, user);
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>
    /// The rules without a <see cref="UserManager{TUser}"/>: for a form that checks a password before
    /// the account exists. <paramref name="user"/> supplies the login, phone, e-mail and SNILS it must not equal.
    /// </summary>
    public static IReadOnlyList<IdentityError> Check(string? password, HealthUser? user)
    {
        if (string.IsNullOrEmpty(password)) return [TooShort];
        if (!TryNormalize(password, out var normalized)) return [InvalidCharacters];

        var length = CountCodePoints(normalized);
        if (length < MinimumLength) return [TooShort];
        if (length > MaximumLength) return [TooLong];

        var errors = new List<IdentityError>();
        var lower = normalized.ToLowerInvariant();
        if (CommonPasswords.Contains(lower) || CommonPasswords.Contains(lower.Trim())) errors.Add(TooCommon);
        if (user is not null && MatchesAccount(normalized, user)) errors.Add(MatchesAccountError);
        return errors;
    }

    /// <summary>NFKC; false for text that is not valid UTF-16 (a lone surrogate), which no keyboard produces.</summary>
    public static bool TryNormalize(string password, out string normalized)
    {
        try
        {
            normalized = password.Normalize(NormalizationForm.FormKC);
            return true;
        }
        catch (ArgumentException)
        {
            normalized = "";
            return false;
        }
    }

    private static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static bool MatchesAccount(string password, HealthUser user)
    {
        var candidate = password.Trim();
        if (Same(candidate, user.UserName) || Same(candidate, user.Email) || Same(candidate, user.Snils)) return true;
        // Any way of writing the account's phone number ("8 912 345-67-89", "+79123456789") counts as the phone.
        return user.PhoneNumber is not null
            && PhoneNumbers.TryNormalize(candidate, out var phone)
            && PhoneNumbers.TryNormalize(user.PhoneNumber, out var own)
            && phone == own;

        static bool Same(string candidate, string? value) =>
            !string.IsNullOrWhiteSpace(value) && string.Equals(candidate, value.Trim().Normalize(NormalizationForm.FormKC), StringComparison.OrdinalIgnoreCase);
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            passwords.Add(line.Normalize(NormalizationForm.FormKC).ToLowerInvariant());
        }
        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }

    public static readonly IdentityError TooShort = new()
    {
        Code = "PasswordTooShort",
        Description = string.Create(CultureInfo.InvariantCulture, $"Пароль слишком короткий: нужно не меньше {MinimumLength} символов."),
    };

    public static readonly IdentityError TooLong = new()
    {
        Code = "PasswordTooLong",
        Description = string.Create(CultureInfo.InvariantCulture, $"Пароль слишком длинный: не больше {MaximumLength} символов."),
    };

    public static readonly IdentityError TooCommon = new()
    {
        Code = "PasswordTooCommon",
        Description = "Пароль слишком распространён, его легко подобрать. Придумайте другой — например, фразу из нескольких слов.",
    };

    public static readonly IdentityError MatchesAccountError = new()
    {
        Code = "PasswordMatchesAccount",
        Description = "Пароль не должен совпадать с логином, номером телефона, адресом электронной почты или СНИЛС.",
    };

    public static readonly IdentityError InvalidCharacters = new()
    {
        Code = "PasswordInvalidCharacters",
        Description = "Пароль содержит недопустимые символы.",
    };
}
