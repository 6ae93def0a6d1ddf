namespace Gosuslugi.Health.Immunizations.Domain;

/// <summary>
/// SNILS, the insurance number by which medical organizations name a patient: nine digits and a
/// two-digit checksum, often written "123-456-789 01".
/// </summary>
public static class Snils
{
    public enum Problem { None, Format, Checksum }

    /// <summary>Removes the usual separators so that "112-233-445 95" and "11223344595" are the same number.</summary>
    public static string Normalize(string value) =>
        new(value.Where(c => c is not ('-' or ' ' or '\u00A0')).ToArray());

    public static Problem Check(string normalized)
    {
        if (normalized.Length != 11 || !normalized.All(char.IsAsciiDigit))
        {
            return Problem.Format;
        }

        var number = int.Parse(normalized.AsSpan(0, 9));
        // Numbers up to 001-001-998 were issued before the checksum rule and carry none.
        if (number <= 1_001_998)
        {
            return Problem.None;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (normalized[i] - '0') * (9 - i);
        }

        var expected = sum % 101;
        if (expected == 100)
        {
            expected = 0;
        }

        return int.Parse(normalized.AsSpan(9, 2)) == expected ? Problem.None : Problem.Checksum;
    }
}
