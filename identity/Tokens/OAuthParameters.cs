using Microsoft.Extensions.Primitives;

namespace Gosuslugi.Health.Identity.Tokens;

/// <summary>
/// The parameters of an OAuth request (query or form). A parameter sent without a value counts as
/// omitted and a repeated one makes the request invalid (RFC 6749 §3.1, §3.2).
/// </summary>
public sealed class OAuthParameters
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public OAuthParameters(IEnumerable<KeyValuePair<string, StringValues>> source)
    {
        foreach (var (name, values) in source)
        {
            if (values.Count > 1) RepeatedParameter ??= name;
            if (values.Count >= 1 && !string.IsNullOrEmpty(values[0])) _values[name] = values[0]!;
        }
    }

    /// <summary>The first parameter that was sent more than once, if any.</summary>
    public string? RepeatedParameter { get; }

    public string? this[string name] => _values.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> Values => _values;
}
