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

    /// <summary>The instants at which a Moscow day begins (inclusive) and ends (exclusive).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayBounds(DateOnly date) =>
        (ToUtc(date, TimeOnly.MinValue), ToUtc(date.AddDays(1), TimeOnly.MinValue));
}
