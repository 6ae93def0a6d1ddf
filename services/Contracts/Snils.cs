using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Gosuslugi.Health.Contracts;

/// <summary>
/// СНИЛС, the insurance number by which medical organizations name a patient: 9 digits and a 2-digit checksum,
/// often written <c>123-456-789 01</c>. Stored, compared and carried in events as 11 digits. The one implementation
/// of the rule for identity, every service and the tests.
/// </summary>
public static class Snils
{
    public enum Problem { None, Format, Checksum }

    /// <summary>Numbers up to 001-001-998 were issued before the checksum existed and carry none.</summary>
    private const int FirstNumberWithChecksum = 1_001_999;

    /// <summary>Removes the usual separators so that "112-233-445 95" and "11223344595" are the same number.</summary>
    public static string Normalize(string value) =>
        new(value.Where(c => c is not ('-' or ' ' or '\u00A0')).ToArray());

    /// <summary>What is wrong with a normalized number, if anything.</summary>
    public static Problem Check(string normalized)
    {
        if (normalized.Length != 11 || !normalized.All(char.IsAsciiDigit)) return Problem.Format;
        var body = normalized[..9];
        if (int.Parse(body) < FirstNumberWithChecksum) return Problem.None;
        return Checksum(body) == int.Parse(normalized.AsSpan(9, 2)) ? Problem.None : Problem.Checksum;
    }

    /// <summary>The 11 digits of a valid number written with or without separators; false for anything else.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? snils)
    {
        snils = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var candidate = Normalize(input);
        if (Check(candidate) != Problem.None) return false;
        snils = candidate;
        return true;
    }

    public static bool IsValid(string? input) => TryNormalize(input, out _);

    /// <summary>"123-456-789 01".</summary>
    public static string Format(string snils) =>
        $"{snils[..3]}-{snils[3..6]}-{snils[6..9]} {snils[9..]}";

    /// <summary>The valid number with these nine digits.</summary>
    public static string WithChecksum(int number)
    {
        var body = number.ToString("D9");
        return body + Checksum(body).ToString("D2");
    }

    /// <summary>A random valid SNILS, for demo and test accounts.</summary>
    public static string Generate() => WithChecksum(RandomNumberGenerator.GetInt32(FirstNumberWithChecksum, 1_000_000_000));

    private static int Checksum(string body)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (body[i] - '0') * (9 - i);
        return sum % 101 % 100;
    }
}
