namespace Gosuslugi.Health.Identity.Sessions;

/// <summary>
/// A short description of a device from its User-Agent ("Яндекс Браузер, Android"), so that a person recognises their
/// sessions. Only the common browsers and systems: the raw User-Agent is shown beside it for the rest.
/// </summary>
public static class DeviceNames
{
    public const string Unknown = "Неизвестное устройство";

    // Order matters: Edge, Opera and Yandex Browser also say "Chrome", and Chrome also says "Safari".
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("YaBrowser/", "Яндекс Браузер"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];

    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return Unknown;
        var browser = Browsers.FirstOrDefault(b => userAgent.Contains(b.Token, StringComparison.Ordinal)).Name;
        var system = Systems.FirstOrDefault(s => userAgent.Contains(s.Token, StringComparison.Ordinal)).Name;
        return (browser, system) switch
        {
            (null, null) => Unknown,
            (not null, null) => browser,
            (null, not null) => system,
            _ => $"{browser}, {system}",
        };
    }
}
