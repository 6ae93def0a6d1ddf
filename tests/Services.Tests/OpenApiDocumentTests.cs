using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Services.Tests;

/// <summary>Each service publishes its OpenAPI document to anyone: its routes, the bearer scheme, problem responses.</summary>
[Collection(SkeletonServicesCollection.Name)]
public sealed class OpenApiDocumentTests(SkeletonServices services)
{
    public static TheoryData<string> Names => SkeletonService.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Document_lists_the_services_routes_and_the_bearer_scheme(string name)
    {
        var host = services[name].Host;
        using var anonymous = host.CreateClient();

        var document = await OpenApiDocuments.ReadAndCheckAsync(anonymous, host.Services);

        document.GetProperty("info").GetProperty("title").GetString()!.ShouldContain(SkeletonTitle(name));
    }

    private static string SkeletonTitle(string name) => name switch
    {
        "sickleave" => "SickLeave",
        _ => char.ToUpperInvariant(name[0]) + name[1..],
    };
}
