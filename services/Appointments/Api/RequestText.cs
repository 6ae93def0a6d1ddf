namespace Gosuslugi.Health.Appointments.Api;

internal static class RequestText
{
    /// <summary>Blank text is no text: null, else the text without the white space around it.</summary>
    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
