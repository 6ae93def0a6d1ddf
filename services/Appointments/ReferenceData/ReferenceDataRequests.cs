using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Appointments.ReferenceData;

public sealed record OrganizationProfileRequest(string? Name, string? Kind, string? Address, string? Phone, string? Email,
    string? Website) : IJsonRequest<OrganizationProfileRequest>;

public sealed record DepartmentRequest(string? Name, string? Address, string? Phone) : IJsonRequest<DepartmentRequest>;

public sealed record DoctorRequest(string? FamilyName, string? GivenName, string? MiddleName, string? Specialty,
    string? DepartmentExternalId, Guid? AccountId, bool? Active) : IJsonRequest<DoctorRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<DoctorRequest>.FormatMessages => FieldFormats;

    private static readonly Dictionary<string, string> FieldFormats = new()
    {
        ["accountId"] = "Идентификатор учётной записи врача — UUID.",
        ["active"] = "Признак active — true или false.",
    };
}

/// <summary>The fields an organization publishes, each checked to what the database stores.</summary>
public static class ReferenceDataFields
{
    /// <summary>How long an id in the organization's own system may be.</summary>
    public const int ExternalIdLength = 128;

    /// <summary>Why <paramref name="externalId"/> (of the route) is no id, or null when it is one.</summary>
    public static string? ExternalIdError(string externalId) =>
        string.IsNullOrWhiteSpace(externalId) || externalId.Length > ExternalIdLength || externalId != externalId.Trim()
            ? $"Идентификатор в системе организации — непустая строка без пробелов по краям, не длиннее {ExternalIdLength} символов."
            : null;

    /// <summary>The text trimmed; null with <paramref name="missing"/> (or a too-long message) in the errors.</summary>
    public static string? Required(string? value, string field, int length, string missing, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors[field] = [missing];
            return null;
        }

        return Limited(trimmed, field, length, errors);
    }

    /// <summary>The text trimmed, or null when blank (or too long, with the message in the errors).</summary>
    public static string? Optional(string? value, string field, int length, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : Limited(trimmed, field, length, errors);
    }

    public static bool IsEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && !value.Contains(' ');
    }

    private static string? Limited(string trimmed, string field, int length, Dictionary<string, string[]> errors)
    {
        if (trimmed.Length > length)
        {
            errors[field] = [$"Не длиннее {length} символов."];
            return null;
        }

        return trimmed;
    }
}
