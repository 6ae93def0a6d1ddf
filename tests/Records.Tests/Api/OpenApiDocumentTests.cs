using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Records.Tests.Api;

[Collection(RecordsCollection.Name)]
public sealed class OpenApiDocumentTests(RecordsApp app)
{
    [Fact]
    public async Task Document_lists_every_route_with_the_bearer_scheme_FHIR_bodies_and_the_PDF()
    {
        using var anonymous = app.Factory.CreateClient();

        var document = await OpenApiDocuments.ReadAndCheckAsync(anonymous, app.Factory.Services);

        var paths = document.GetProperty("paths");
        var publish = paths.GetProperty("/api/v1/records/fhir/{resourceType}").GetProperty("post");
        publish.GetProperty("security").GetArrayLength().ShouldBeGreaterThan(0);
        var content = publish.GetProperty("requestBody").GetProperty("content");
        content.TryGetProperty("application/fhir+json", out var fhir).ShouldBeTrue();
        fhir.GetProperty("schema").GetProperty("properties").GetProperty("resourceType").GetProperty("enum")
            .EnumerateArray().Select(type => type.GetString()).ShouldBe(["Encounter", "DiagnosticReport", "Composition", "CarePlan"]);
        publish.GetProperty("parameters").EnumerateArray()
            .Single(parameter => parameter.GetProperty("name").GetString() == "resourceType")
            .GetProperty("schema").GetProperty("enum").GetArrayLength().ShouldBe(4);
        publish.GetProperty("responses").GetProperty("422").GetProperty("content")
            .TryGetProperty("application/fhir+json", out _).ShouldBeTrue();
        var transaction = paths.GetProperty("/fhir/R4").GetProperty("post");
        transaction.GetProperty("requestBody").GetProperty("content").GetProperty("application/fhir+json").GetProperty("schema")
            .GetProperty("properties").GetProperty("type").GetProperty("enum")[0].GetString().ShouldBe("transaction");
        paths.GetProperty("/fhir/R4/{resourceType}").GetProperty("post").GetProperty("security").GetArrayLength().ShouldBeGreaterThan(0);
        paths.TryGetProperty("/fhir/R4/metadata", out _).ShouldBeTrue();

        var pdf = paths.GetProperty("/api/v1/records/exports/history.pdf").GetProperty("get");
        pdf.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/pdf", out _).ShouldBeTrue();
        pdf.GetProperty("tags")[0].GetString().ShouldBe("Exports");
    }
}
