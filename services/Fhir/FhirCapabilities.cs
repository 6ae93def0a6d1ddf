using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Fhir;

/// <summary>A resource type a service takes or gives, with its interactions and what the profile asks of it.</summary>
public sealed record FhirResourceCapability(ResourceType Type, IReadOnlyList<CapabilityStatement.TypeRestfulInteraction> Interactions,
    string Documentation);

/// <summary>The CapabilityStatement (GET [base]/metadata) of the system's FHIR R4 server.</summary>
public static class FhirCapabilities
{
    public const string SoftwareName = "Gosuslugi.Health («Моё здоровье»)";

    public static CapabilityStatement Build(string title, DateTimeOffset date, IEnumerable<FhirResourceCapability> resources,
        bool transactions, string security) => new()
    {
        Status = PublicationStatus.Active,
        Title = title,
        Date = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Publisher = SoftwareName,
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = SoftwareName },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [FhirOutcomes.MediaType, "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Security = new CapabilityStatement.SecurityComponent
                {
                    Service =
                    [
                        new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth"),
                    ],
                    Description = security,
                },
                Resource = resources.Select(r => new CapabilityStatement.ResourceComponent
                {
                    Type = r.Type.ToString(),
                    Documentation = r.Documentation,
                    Interaction = r.Interactions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i }).ToList(),
                    Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
                    ConditionalCreate = false,
                }).ToList(),
                Interaction = transactions
                    ? [new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction }]
                    : [],
            },
        ],
    };
}
