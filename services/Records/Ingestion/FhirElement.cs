using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// Everything wrong with one submitted resource, by FHIR path ("subject.identifier.value", "contained[1].valueQuantity.value"):
/// the mapping goes on after a problem so that the organization sees all of them at once.
/// </summary>
public sealed class FhirProblems(DateTimeOffset now)
{
    /// <summary>How far in the future a date may be (clocks of organizations' systems drift).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public DateTimeOffset Now { get; } = now;

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages))
        {
            _errors[path] = messages = [];
        }
        if (!messages.Contains(message)) messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>
/// A position in a FHIR JSON resource with its path; reading a value checks its type and records a problem under the
/// path instead of throwing. A missing element reads as null.
/// </summary>
public readonly partial record struct FhirElement(JsonElement? Json, string Path, FhirProblems Problems)
{
    public const string Required = "Обязательное поле.";

    public static FhirElement Root(JsonElement json, FhirProblems problems) => new(json, "", problems);

    public bool Exists => Json is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };

    public bool IsArray => Json is { ValueKind: JsonValueKind.Array };

    public bool IsObject => Json is { ValueKind: JsonValueKind.Object };

    public FhirElement this[string name]
    {
        get
        {
            var path = Path.Length == 0 ? name : Path + "." + name;
            return Json is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var child)
                ? new FhirElement(child, path, Problems)
                : new FhirElement(null, path, Problems);
        }
    }

    public FhirElement this[int index] =>
        Json is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength()
            ? new FhirElement(array[index], $"{Path}[{index}]", Problems)
            : new FhirElement(null, $"{Path}[{index}]", Problems);

    public void Fail(string message) => Problems.Add(Path, message);

    /// <summary>The elements of an array (none when absent); anything else is a problem.</summary>
    public IReadOnlyList<FhirElement> Items()
    {
        if (!Exists) return [];
        if (Json is not { ValueKind: JsonValueKind.Array } array)
        {
            Fail("Значение должно быть массивом.");
            return [];
        }
        var path = Path;
        var problems = Problems;
        return array.EnumerateArray().Select((e, i) => new FhirElement(e, $"{path}[{i}]", problems)).ToList();
    }

    /// <summary>An element that FHIR defines as an array but that some senders send as one object: both are read.</summary>
    public FhirElement FirstOrSelf() => IsArray ? this[0] : this;

    /// <summary>A non-empty trimmed string, or null (and a problem if required, of the wrong type or too long).</summary>
    public string? String(bool required = false, int maxLength = 1000, string? requiredMessage = null)
    {
        if (!Exists)
        {
            if (required) Fail(requiredMessage ?? Required);
            return null;
        }
        if (Json!.Value.ValueKind != JsonValueKind.String)
        {
            Fail("Значение должно быть строкой.");
            return null;
        }
        var value = Json.Value.GetString()!.Trim();
        if (value.Length == 0)
        {
            if (required) Fail(requiredMessage ?? Required);
            return null;
        }
        if (value.Length > maxLength)
        {
            Fail($"Значение длиннее {maxLength} символов.");
            return null;
        }
        return value;
    }

    public decimal? Decimal(bool required = false, string? requiredMessage = null)
    {
        if (!Exists)
        {
            if (required) Fail(requiredMessage ?? Required);
            return null;
        }
        if (Json!.Value.ValueKind != JsonValueKind.Number || !Json.Value.TryGetDecimal(out var value))
        {
            Fail("Значение должно быть числом.");
            return null;
        }
        return value;
    }

    public int? Integer(bool required = false)
    {
        if (!Exists)
        {
            if (required) Fail(Required);
            return null;
        }
        if (Json!.Value.ValueKind != JsonValueKind.Number || !Json.Value.TryGetInt32(out var value))
        {
            Fail("Значение должно быть целым числом.");
            return null;
        }
        return value;
    }

    /// <summary>
    /// A FHIR date or dateTime as an instant. A date alone is midnight Moscow time; a time needs its offset (FHIR
    /// requires one). A partial date (year, year-month) is refused: the record shows a day. Later than now (plus a
    /// small skew) is refused unless <paramref name="allowFuture"/>.
    /// </summary>
    public DateTimeOffset? Instant(bool required = false, bool allowFuture = false, string? requiredMessage = null)
    {
        var text = String(required, 64, requiredMessage);
        if (text is null) return null;
        if (!DateTimePattern().IsMatch(text))
        {
            Fail("Дата указывается в формате ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс+03:00.");
            return null;
        }

        DateTimeOffset value;
        if (text.Length == 10)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Fail("Такой даты не существует.");
                return null;
            }
            value = MoscowTime.ToUtc(date, TimeOnly.MinValue);
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value))
        {
            Fail("Такой даты или времени не существует.");
            return null;
        }

        if (value.Year < 1900)
        {
            Fail("Дата раньше 1900 года.");
            return null;
        }
        if (!allowFuture && value > Problems.Now + FhirProblems.FutureSkew)
        {
            Fail("Дата не может быть в будущем.");
            return null;
        }
        return value.ToUniversalTime();
    }

    /// <summary>A FHIR date (or the day of a dateTime in Moscow time).</summary>
    public DateOnly? Date(bool required = false, bool allowFuture = false)
    {
        var instant = Instant(required, allowFuture);
        return instant is { } value ? MoscowTime.DateOf(value) : null;
    }

    /// <summary>The value of the first extension with <paramref name="url"/>, and its path ("extension[2]").</summary>
    public FhirElement Extension(string url)
    {
        foreach (var extension in this["extension"].Items())
        {
            if (extension["url"].Json is { ValueKind: JsonValueKind.String } u && u.GetString() == url)
            {
                return extension;
            }
        }
        return new FhirElement(null, $"{(Path.Length == 0 ? "" : Path + ".")}extension.where(url='{url}')", Problems);
    }

    /// <summary>The codings of a CodeableConcept.</summary>
    public IReadOnlyList<FhirElement> Codings() => this["coding"].Items();

    /// <summary>The first coding of a CodeableConcept with <paramref name="system"/>.</summary>
    public FhirElement? Coding(string system) =>
        Codings().Cast<FhirElement?>().FirstOrDefault(c => c!.Value["system"].Json is { ValueKind: JsonValueKind.String } s && s.GetString() == system);

    /// <summary>A string value of a possibly missing element without problems (for optional free text).</summary>
    public string? Text(int maxLength = 1000) => Exists ? String(maxLength: maxLength) : null;


    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$")]
    private static partial Regex DateTimePattern();
}
