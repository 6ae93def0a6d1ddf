namespace Gosuslugi.Health.Identity.Domain;

public static class Scopes
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string OfflineAccess = "offline_access";

    /// <summary>The patient API.</summary>
    public const string Health = "health";

    /// <summary>Medical organizations publishing data about their patients.</summary>
    public const string HealthPublish = "health.publish";

    /// <summary>Pharmacies: their queue of e-prescriptions, reserving and dispensing.</summary>
    public const string HealthPharmacy = "health.pharmacy";

    public static readonly IReadOnlyList<string> All = [OpenId, Profile, OfflineAccess, Health, HealthPublish, HealthPharmacy];

    /// <summary>Splits a space-delimited scope string (RFC 6749 §3.3); null when it is malformed.</summary>
    public static IReadOnlyList<string>? Parse(string? scope)
    {
        if (string.IsNullOrEmpty(scope)) return [];
        var parts = scope.Split(' ');
        // Scope tokens are %x21 / %x23-5B / %x5D-7E; empty parts mean doubled or edge spaces.
        if (parts.Any(p => p.Length == 0 || p.Any(c => c is < '!' or > '~' or '"' or '\\'))) return null;
        return parts.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);
}
