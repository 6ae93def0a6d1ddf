using System.Diagnostics.CodeAnalysis;

namespace Gosuslugi.Health.Identity.Security;

/// <summary>The OMS (compulsory medical insurance) policy of the single format.</summary>
public static class OmsPolicy
{
    public const int NumberLength = 16;

    /// <summary>Exactly 16 ASCII digits (the single-format policy number), nothing else.</summary>
    public static bool IsValidNumber([NotNullWhen(true)] string? number) =>
        number is { Length: NumberLength } && number.All(char.IsAsciiDigit);

    /// <summary>The number without the spaces and hyphens people type ("1234 5678 9012 3456"), when it is then valid.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = input is null ? null : new string([.. input.Where(c => !char.IsWhiteSpace(c) && c != '-')]);
        if (IsValidNumber(normalized)) return true;
        normalized = null;
        return false;
    }
}

/// <summary>The internal passport of a citizen of the Russian Federation.</summary>
public static class Passport
{
    /// <summary>Series of 4 digits and number of 6 digits (as stored: no spaces).</summary>
    public static bool IsValid([NotNullWhen(true)] string? series, [NotNullWhen(true)] string? number) =>
        series is { Length: 4 } && series.All(char.IsAsciiDigit) &&
        number is { Length: 6 } && number.All(char.IsAsciiDigit);

    /// <summary>"45 08" and "123 456" as typed, without spaces, when they are then valid.</summary>
    public static bool TryNormalize(string? series, string? number,
        [NotNullWhen(true)] out string? normalizedSeries, [NotNullWhen(true)] out string? normalizedNumber)
    {
        normalizedSeries = series is null ? null : new string([.. series.Where(c => !char.IsWhiteSpace(c))]);
        normalizedNumber = number is null ? null : new string([.. number.Where(c => !char.IsWhiteSpace(c))]);
        if (IsValid(normalizedSeries, normalizedNumber)) return true;
        normalizedSeries = normalizedNumber = null;
        return false;
    }
}
