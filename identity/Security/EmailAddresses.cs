using System.Diagnostics.CodeAnalysis;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>E-mail addresses checked for form and kept one way (trimmed, lower case).</summary>
public static class EmailAddresses
{
    public const int MaximumLength = 254;

    /// <summary>
    /// A single plain address "local@domain.tld" (no display name, no spaces, a dot in the domain),
    /// lower-cased: mailbox providers treat the local part case-insensitively, and one spelling keeps
    /// look-ups and the resend throttle from being fooled by "Ivan@" vs "ivan@".
    /// </summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var text = input.Trim();
        if (text.Length > MaximumLength || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;

        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at > 64) return false;
        var domain = text[(at + 1)..];
        if (domain.Length < 3 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..")) return false;
        if (!System.Net.Mail.MailAddress.TryCreate(text, out var parsed) || parsed.Address != text || parsed.DisplayName.Length != 0) return false;

        normalized = text.ToLowerInvariant();
        return true;
    }

    /// <summary>"iv***@mail.ru".</summary>
    public static string Mask(string normalized)
    {
        var at = normalized.IndexOf('@');
        if (at <= 0) return "***";
        return normalized[..Math.Min(2, at)] + "***" + normalized[at..];
    }
}
