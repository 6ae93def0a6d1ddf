using Gosuslugi.Health.Contracts.Identity;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// Sections of the record an item belongs to: its kind's own section plus the sensitive sections its ICD-10 diagnoses
/// put it in, so that a patient who hides, say, psychiatry hides every visit with an F diagnosis.
/// </summary>
public static class SensitiveSections
{
    /// <summary>The sensitive section (<see cref="RecordSections"/>) of one ICD-10 code, or null.</summary>
    public static string? Of(string icd10Code)
    {
        var code = icd10Code.Trim().ToUpperInvariant();
        if (code.Length < 3 || !char.IsAsciiLetter(code[0]) || !int.TryParse(code.AsSpan(1, 2), out var number))
        {
            return null;
        }

        return code[0] switch
        {
            // Mental and behavioural disorders due to psychoactive substance use.
            'F' when number is >= 10 and <= 19 => RecordSections.Narcology,
            'F' => RecordSections.Psychiatry,
            // Infections with a predominantly sexual mode of transmission.
            'A' when number is >= 50 and <= 64 => RecordSections.Venereology,
            'B' when number is >= 20 and <= 24 => RecordSections.Hiv,
            'Z' when number == 21 => RecordSections.Hiv,
            // Pregnancy and childbirth, female infertility, contraception and reproduction.
            'O' => RecordSections.Reproductive,
            'N' when number == 97 => RecordSections.Reproductive,
            'Z' when number is >= 30 and <= 39 => RecordSections.Reproductive,
            _ => null,
        };
    }

    /// <summary>The kind's section first, then the sensitive sections of <paramref name="diagnosisCodes"/>, each once.</summary>
    public static string[] For(string kindSection, IEnumerable<string> diagnosisCodes) =>
        diagnosisCodes.Select(Of).OfType<string>().Prepend(kindSection).Distinct(StringComparer.Ordinal).ToArray();
}
