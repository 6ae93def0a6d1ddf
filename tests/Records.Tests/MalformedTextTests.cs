using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Records.Tests;

/// <summary>
/// U+0000 (PostgreSQL refuses it in text) and invalid UTF-8 in any text field of any JSON or FHIR route are a 400 problem
/// naming the field, never a 500, and reach no endpoint.
/// </summary>
[Collection(RecordsCollection.Name)]
public sealed class MalformedTextTests(RecordsApp app)
{
    [Fact]
    public async Task Every_text_field_of_every_route_refuses_nul_and_invalid_utf8_by_name()
    {
        var (routes, failures) = await app.ProbeMalformedTextAsync(routeValues: new Dictionary<string, string> { ["resourceType"] = "Encounter" },
            extraFields: new Dictionary<string, string[]>
            {
                ["/api/v1/records/fhir/{resourceType}"] = ["resourceType", "subject.identifier.value", "type[0].coding[0].display", "contained[1].valueString"],
                ["/fhir/R4/{resourceType}"] = ["resourceType", "subject.identifier.value", "type[0].coding[0].display", "contained[1].valueString"],
                ["/fhir/R4/"] = ["type", "entry[0].resource.subject.identifier.value", "entry[1].request.url"],
            });

        routes.ShouldNotBeEmpty();
        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }
}
