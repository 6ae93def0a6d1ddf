using System.Text.Json.Serialization;

namespace Gosuslugi.Health.Identity.Seeding;

// The JSON shape of these records is a contract: run.sh prints the file, frontends and scripts read
// it. Members marked [JsonIgnore] are for tests only and never reach the file.

public sealed record DemoAccounts(
    [property: JsonPropertyName("patient")] DemoPatient Patient,
    [property: JsonPropertyName("otherPatient")] DemoPatient OtherPatient,
    [property: JsonPropertyName("doctor")] DemoUser Doctor,
    [property: JsonPropertyName("admin")] DemoUser Admin,
    [property: JsonPropertyName("medicalOrganization")] DemoMedicalOrganization MedicalOrganization,
    [property: JsonPropertyName("publicClient")] DemoPublicClient PublicClient,
    [property: JsonPropertyName("gateway")] string Gateway);

public sealed record DemoPatient(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("snils")] string Snils)
{
    /// <summary>The <c>sub</c> of the patient's tokens.</summary>
    [JsonIgnore] public Guid UserId { get; init; }
    [JsonIgnore] public string FamilyName { get; init; } = "";
    [JsonIgnore] public string GivenName { get; init; } = "";
    [JsonIgnore] public string? MiddleName { get; init; }
    [JsonIgnore] public DateOnly BirthDate { get; init; }
}

public sealed record DemoUser(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password)
{
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
