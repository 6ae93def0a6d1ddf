using System.Globalization;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.ServiceDefaults;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// Reads values of a typed resource against the profile's rules, naming each problem by its FHIR path (relative to the
/// resource, "subject.identifier.value") in <see cref="Issues"/> and going on, so that the sender sees all of them at
/// once. The SDK has already checked R4 itself (types, codes, required elements): a path it named is not named again.
/// </summary>
public sealed class ProfileReading(FhirIssues issues, DateTimeOffset now)
{
    public const string Required = "Обязательное поле.";

    /// <summary>How far in the future a date may be (clocks of organizations' systems drift).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    public FhirIssues Issues { get; } = issues;

    public DateTimeOffset Now { get; } = now;

    /// <summary>A problem at <paramref name="path"/>, unless the SDK (or an earlier rule) already named that element.</summary>
    public void Fail(string path, string message)
    {
        if (!Issues.Has(path)) Issues.Add(path, message);
    }

    /// <summary>A non-empty trimmed string, or null (and a problem if required or too long).</summary>
    public string? Text(string? value, string path, bool required = false, int maxLength = 1000, string? requiredMessage = null)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) Fail(path, requiredMessage ?? Required);
            return null;
        }
        if (text.Length > maxLength)
        {
            Fail(path, $"Значение длиннее {maxLength} символов.");
            return null;
        }
        return text;
    }

    /// <summary>
    /// A FHIR date or dateTime as an instant. A date alone is midnight Moscow time; a partial date (a year, a year and a
    /// month, as R4 allows) is its first day. Later than now (plus a small skew) is refused unless <paramref name="allowFuture"/>.
    /// </summary>
    public DateTimeOffset? Instant(DataType? value, string path, bool required = false, bool allowFuture = false, string? requiredMessage = null)
    {
        if (Issues.Has(path)) return null;
        DateTimeOffset? instant = value switch
        {
            null => null,
            FhirDateTime { Value: { } literal } => FromLiteral(literal),
            Date { Value: { } literal } => FromLiteral(literal),
            Hl7.Fhir.Model.Instant { Value: { } exact } => exact,
            _ => Invalid(),
        };
        if (instant is null)
        {
            if (value is null && required) Fail(path, requiredMessage ?? Required);
            else if (value is not null && !Issues.Has(path)) Fail(path, "Такой даты или времени не существует.");
            return null;
        }
        if (instant.Value.Year < 1900)
        {
            Fail(path, "Дата раньше 1900 года.");
            return null;
        }
        if (!allowFuture && instant.Value > Now + FutureSkew)
        {
            Fail(path, "Дата не может быть в будущем.");
            return null;
        }
        return instant.Value.ToUniversalTime();

        DateTimeOffset? Invalid()
        {
            Fail(path, "Дата указывается в формате ГГГГ, ГГГГ-ММ, ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс+03:00.");
            return null;
        }
    }

    /// <summary>A FHIR date (or the day of a dateTime in Moscow time).</summary>
    public DateOnly? Date(DataType? value, string path, bool allowFuture = false) =>
        Instant(value, path, allowFuture: allowFuture) is { } instant ? MoscowTime.DateOf(instant) : null;

    /// <summary>
    /// Reads one part of a resource (a contained resource, say) so that the rest is still read when the SDK's partial
    /// resource throws on an element it has already named invalid.
    /// </summary>
    public T? Part<T>(Func<T?> read) where T : class
    {
        try
        {
            return read();
        }
        catch (CodedValidationException) when (Issues.Any)
        {
            return null;
        }
    }

    /// <summary>
    /// A code's literal ("in-progress"). Read as sent: the SDK's enum getter throws on a code it has named invalid, and
    /// the profile's other rules still run.
    /// </summary>
    public static string? Literal<T>(Code<T>? code) where T : struct, Enum => code?.JsonValue as string;

    /// <summary>The first extension with <paramref name="url"/> and its path ("extension[2]"), or the path it would have.</summary>
    public static (Extension? Extension, string Path) Extension(DomainResource resource, string url)
    {
        var index = resource.Extension.FindIndex(e => e.Url == url);
        return index < 0 ? (null, $"extension.where(url='{url}')") : (resource.Extension[index], $"extension[{index}]");
    }

    /// <summary>The first coding of a CodeableConcept with <paramref name="system"/>, and its index.</summary>
    public static (Coding? Coding, int Index) Coding(CodeableConcept? concept, string system)
    {
        var index = concept?.Coding.FindIndex(c => c.System == system) ?? -1;
        return index < 0 ? (null, -1) : (concept!.Coding[index], index);
    }

    /// <summary>A date or dateTime literal the SDK has already checked against R4's format.</summary>
    private static DateTimeOffset? FromLiteral(string literal)
    {
        var formats = literal.Length switch { 4 => "yyyy", 7 => "yyyy-MM", 10 => "yyyy-MM-dd", _ => null };
        if (formats is not null)
        {
            return DateOnly.TryParseExact(literal, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? MoscowTime.ToUtc(day, TimeOnly.MinValue) : null;
        }
        return DateTimeOffset.TryParse(literal, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }
}
