using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.SickLeave.Tests;

[Collection(SickLeaveCollection.Name)]
public sealed class OpenApiDocumentTests(SickLeaveApp app)
{
    [Fact]
    public async Task Document_lists_every_route_with_the_bearer_scheme_and_problem_responses()
    {
        using var anonymous = app.Factory.CreateClient();

        var document = await OpenApiDocuments.ReadAndCheckAsync(anonymous, app.Factory.Services);

        OpenApiDocuments.Operations(document).ShouldNotBeEmpty();
        OpenApiDocuments.Operations(document).Any(operation => operation.Operation.TryGetProperty("security", out _)).ShouldBeTrue();
    }
}
