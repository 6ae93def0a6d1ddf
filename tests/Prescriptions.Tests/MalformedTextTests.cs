namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class MalformedTextTests(PrescriptionsApp app)
{
    [Fact]
    public async Task Every_json_and_fhir_route_refuses_nul_characters_and_invalid_utf8()
    {
        var (routes, failures) = await app.ProbeMalformedTextAsync(new Dictionary<string, string> { ["id"] = Guid.CreateVersion7().ToString() });
        routes.Count.ShouldBeGreaterThanOrEqualTo(4);
        failures.ShouldBeEmpty();
    }
}
