using System.Globalization;

namespace Gosuslugi.Health.ServiceDefaults;

/// <summary>
/// Clinics publish and patients read wall-clock times in Moscow; the database keeps UTC instants. Russia has had no
/// daylight saving time since 2014, so Moscow is UTC+3 all year and no time-zone database is needed.
/// </summary>
public static class MoscowTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(3);

    /// <summary>The UTC instant of a Moscow date and wall-clock time.</summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time) =>
        new DateTimeOffset(date.ToDateTime(time), Offset).ToUniversalTime();

    /// <summary>The Moscow calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instant as Moscow's wall clock shows it.</summary>
    public static DateTimeOffset Of(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>"14:35 (МСК)", with the date when it is not the same Moscow day as <paramref name="now"/>: "00:20 23.11.2026 (МСК)".</summary>
    public static string Format(DateTimeOffset instant, DateTimeOffset now)
    {
        var moscow = Of(instant);
        var sameDay = moscow.Date == Of(now).Date;
        return moscow.ToString(sameDay ? "HH:mm" : "HH:mm dd.MM.yyyy", CultureInfo.InvariantCulture) + " (МСК)";
    }

    /// <summary>The instants at which a Moscow day begins (inclusive) and ends (exclusive).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayBounds(DateOnly date) =>
        (ToUtc(date, TimeOnly.MinValue), ToUtc(date.AddDays(1), TimeOnly.MinValue));
}
