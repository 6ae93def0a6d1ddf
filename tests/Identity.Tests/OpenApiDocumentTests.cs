using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class OpenApiDocumentTests(IdentityServiceFixture identity)
{
    [Fact]
    public async Task Document_lists_the_account_and_admin_routes_with_the_bearer_scheme()
    {
        using var anonymous = identity.CreateClient();

        var document = await OpenApiDocuments.ReadAndCheckAsync(anonymous, identity.Factory.Services);

        var operations = OpenApiDocuments.Operations(document).ToList();
        operations.ShouldContain(operation => operation.Path.StartsWith("/api/v1/account/", StringComparison.Ordinal));
        operations.Any(operation => operation.Path.StartsWith("/api/v1/admin/", StringComparison.Ordinal)
                                    && operation.Operation.TryGetProperty("security", out _)).ShouldBeTrue();
        // Registration is open to anyone: no token asked for.
        operations.Any(operation => !operation.Operation.TryGetProperty("security", out _)).ShouldBeTrue();
        // The OAuth 2.0 endpoints are described by discovery (/.well-known/openid-configuration), not here.
        operations.ShouldNotContain(operation => operation.Path.StartsWith("/connect/", StringComparison.Ordinal));

        // A JSON body read through Json<T> is described by its type, and may be answered 415.
        var registration = document.GetProperty("paths").GetProperty("/api/v1/account/registrations").GetProperty("post");
        registration.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().ShouldBe("#/components/schemas/RegistrationRequest");
        registration.GetProperty("responses").TryGetProperty("415", out _).ShouldBeTrue();
    }
}
