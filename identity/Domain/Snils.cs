using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Gosuslugi.Health.Identity.Domain;

/// <summary>
/// СНИЛС, the insurance number by which medical organizations name a patient: 9 digits and a
/// 2-digit checksum. Stored and compared as 11 digits; shown as <c>123-456-789 01</c>.
/// </summary>
public static class Snils
{
    /// <summary>Numbers up to 001-001-998 were issued before the checksum existed.</summary>
    private const int FirstNumberWithChecksum = 1_001_999;

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? snils)
    {
        snils = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        Span<char> digits = stackalloc char[11];
        var count = 0;
        foreach (var c in input)
        {
            if (c is ' ' or '-') continue;
            if (!char.IsAsciiDigit(c) || count == 11) return false;
            digits[count++] = c;
        }
        if (count != 11) return false;
        var candidate = new string(digits);
        if (!HasValidChecksum(candidate)) return false;
        snils = candidate;
        return true;
    }

    public static bool IsValid(string? input) => TryNormalize(input, out _);

    public static string Format(string snils) =>
        $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";

    /// <summary>A random valid SNILS, for demo and test accounts.</summary>
    public static string Generate()
    {
        var number = RandomNumberGenerator.GetInt32(FirstNumberWithChecksum, 1_000_000_000);
        var body = number.ToString("D9");
        return body + Checksum(body).ToString("D2");
    }

    private static bool HasValidChecksum(string snils)
    {
        var body = snils[..9];
        if (int.Parse(body) < FirstNumberWithChecksum) return true;
        return Checksum(body) == int.Parse(snils[9..]);
    }

    private static int Checksum(string body)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (body[i] - '0') * (9 - i);
        if (sum < 100) return sum;
        if (sum is 100 or 101) return 0;
        var rest = sum % 101;
        return rest == 100 ? 0 : rest;
    }
}
