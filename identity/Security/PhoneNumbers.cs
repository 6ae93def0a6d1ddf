using System.Diagnostics.CodeAnalysis;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>Russian phone numbers as people write them, stored one way: <c>+7XXXXXXXXXX</c>.</summary>
public static class PhoneNumbers
{
    /// <summary>
    /// "+7 912 345-67-89", "8 (912) 345-67-89", "7 912 3456789" and "9123456789" all become "+79123456789".
    /// Spaces, hyphens, dots and brackets are ignored; anything else (letters, another country's code,
    /// a wrong number of digits) is refused.
    /// </summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(input)) return false;

        var text = input.Trim();
        var plus = text.StartsWith('+');
        Span<char> digits = stackalloc char[16];
        var count = 0;
        foreach (var c in plus ? text.AsSpan(1) : text.AsSpan())
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length) return false;
                digits[count++] = c;
            }
            else if (!(char.IsWhiteSpace(c) || c is '-' or '(' or ')' or '.'))
            {
                return false;
            }
        }

        scoped ReadOnlySpan<char> national;
        if (count == 11 && digits[0] == '7') national = digits[1..11];                 // +7 912 ..., 7 912 ...
        else if (!plus && count == 11 && digits[0] == '8') national = digits[1..11];   // 8 (912) ... — the domestic trunk prefix
        else if (!plus && count == 10) national = digits[..10];                        // 912 345 67 89
        else return false;

        // Russian numbers (and Kazakhstan's under +7) start with an area or operator code of 3–9.
        if (national[0] is '0' or '1' or '2') return false;
        normalized = string.Concat("+7", national);
        return true;
    }

    /// <summary>"+7 912 ***-**-89": enough for a person to recognise their number, not enough to learn it.</summary>
    public static string Mask(string normalized) =>
        normalized.Length == 12 ? $"+7 {normalized[2..5]} ***-**-{normalized[10..]}" : "***";
}
