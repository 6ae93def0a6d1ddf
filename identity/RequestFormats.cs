namespace Gosuslugi.Health.Identity;

/// <summary>
/// How a body field with a format is written, for the validation problem that names a value of the wrong type or format
/// (<see cref="ServiceDefaults.IJsonRequest{TSelf}.FormatMessages"/>).
/// </summary>
public static class RequestFormats
{
    public static string Date(string what) => $"{what} указывается в формате ГГГГ-ММ-ДД, например 2026-12-10.";

    public static string Moment(string what) => $"{what} указывается в формате ISO 8601, например 2026-12-10T09:00:00+03:00.";
}
