using System.Text.Json.Serialization;

namespace Gosuslugi.Health.Identity.Seeding;

// The JSON shape of these records is a contract: run.sh prints the file, frontends and scripts read
// it. Members marked [JsonIgnore] are for tests only and never reach the file. Fields are only ever added.

public sealed record DemoAccounts(
    [property: JsonPropertyName("patient")] DemoPatient Patient,
    [property: JsonPropertyName("otherPatient")] DemoPatient OtherPatient,
    [property: JsonPropertyName("doctor")] DemoUser Doctor,
    [property: JsonPropertyName("admin")] DemoUser Admin,
    [property: JsonPropertyName("medicalOrganization")] DemoMedicalOrganization MedicalOrganization,
    [property: JsonPropertyName("publicClient")] DemoPublicClient PublicClient,
    [property: JsonPropertyName("gateway")] string Gateway)
{
    /// <summary>A pharmacy of Prescriptions' development directory and its client-credentials client.</summary>
    [JsonPropertyName("pharmacy")] public DemoMedicalOrganization? Pharmacy { get; init; }
}

/// <summary>What a person needs to sign in: login and password, and the second factor (their phone or e-mail for a code, or the authenticator app's secret).</summary>
public interface IDemoPerson
{
    string Username { get; }
    string Password { get; }

    /// <summary>The confirmed phone (+7XXXXXXXXXX) that sign-in codes go to by SMS.</summary>
    string? Phone { get; }

    /// <summary>The confirmed e-mail address.</summary>
    string? Email { get; }

    /// <summary>The base32 TOTP secret of the person's authenticator app, when they have one (then it is the default second factor).</summary>
    string? TotpSecret { get; }

    Guid UserId { get; }
}

public sealed record DemoPatient(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("snils")] string Snils) : IDemoPerson
{
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }

    /// <summary>Add it to an authenticator app (as text or otpauth URI) to sign in with its codes.</summary>
    [JsonPropertyName("totpSecret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TotpSecret { get; init; }

    /// <summary>The <c>sub</c> of the patient's tokens.</summary>
    [JsonIgnore] public Guid UserId { get; init; }
    [JsonIgnore] public string FamilyName { get; init; } = "";
    [JsonIgnore] public string GivenName { get; init; } = "";
    [JsonIgnore] public string? MiddleName { get; init; }
    [JsonIgnore] public DateOnly BirthDate { get; init; }
}

public sealed record DemoUser(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password) : IDemoPerson
{
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("totpSecret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TotpSecret { get; init; }

    [JsonIgnore] public Guid UserId { get; init; }

    /// <summary>A doctor's medical organization.</summary>
    [JsonIgnore] public Guid? OrganizationId { get; init; }
}

public sealed record DemoMedicalOrganization(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret)
{
    [JsonIgnore] public Guid OrganizationId { get; init; }
    [JsonIgnore] public string OrganizationName { get; init; } = "";
}

public sealed record DemoPublicClient(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("redirectUri")] string RedirectUri);
