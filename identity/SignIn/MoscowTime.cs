using System.Globalization;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>Times that a person reads, in Moscow time: the portal's convention, whatever the server's zone.</summary>
public static class MoscowTime
{
    /// <summary>Moscow keeps UTC+3 all year (no daylight saving since 2014), so no time zone database is needed.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(3);

    /// <summary>"14:35 (МСК)", with the date when it is not the same Moscow day as <paramref name="now"/>: "00:20 23.11.2026 (МСК)".</summary>
    public static string Format(DateTimeOffset instant, DateTimeOffset now)
    {
        var moscow = instant.ToOffset(Offset);
        var sameDay = moscow.Date == now.ToOffset(Offset).Date;
        return moscow.ToString(sameDay ? "HH:mm" : "HH:mm dd.MM.yyyy", CultureInfo.InvariantCulture) + " (МСК)";
    }
}
