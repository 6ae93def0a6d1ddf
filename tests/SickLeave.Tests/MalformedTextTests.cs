using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.SickLeave.Tests;

/// <summary>
/// U+0000 (PostgreSQL refuses it in text) and invalid UTF-8 in any text field of any JSON route are a 400 problem
/// naming the field, never a 500, and reach no endpoint.
/// </summary>
[Collection(SickLeaveCollection.Name)]
public sealed class MalformedTextTests(SickLeaveApp app)
{
    [Fact]
    public async Task Every_text_field_of_every_route_refuses_nul_and_invalid_utf8_by_name()
    {
        var (routes, failures) = await app.ProbeMalformedTextAsync();

        routes.ShouldNotBeEmpty();
        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }
}
