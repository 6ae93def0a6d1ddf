using System.Net;
using System.Text.Json.Nodes;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.TestInfrastructure;

namespace Gosuslugi.Health.Prescriptions.Tests;

[Collection(PrescriptionsCollection.Name)]
public sealed class AccessTests(PrescriptionsApp app)
{
    [Fact]
    public async Task A_representative_within_the_limited_scope_reads_the_prescriptions_of_the_person_they_act_for()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils);
        using var client = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7(),
            scope: HealthClaims.Scopes.DelegatedLimited));

        (await client.GetAsync($"/api/v1/prescriptions/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await client.GetStringAsync("/api/v1/prescriptions"))!["items"]!.AsArray().Count.ShouldBe(1);
        var events = await app.OutboxPayloadsAsync(typeof(Gosuslugi.Health.Contracts.Audit.PatientDataAccessed).FullName!, patientId);
        events.ShouldContain(e => e.GetProperty("actorRole").GetString() == "representative");
    }

    [Fact]
    public async Task A_representative_of_someone_else_or_without_a_reading_scope_gets_nothing()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var id = await app.PublishAsync(snils);
        using var otherPrincipal = app.CreateClient(app.Issuer.CreateDelegatedToken(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()));
        (await otherPrincipal.GetAsync($"/api/v1/prescriptions/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (patientId, _) = await app.AddKnownPatientAsync();
        using var appointmentsOnly = app.CreateClient(app.Issuer.CreateDelegatedToken(patientId, Guid.CreateVersion7(), Guid.CreateVersion7(),
            scope: HealthClaims.Scopes.DelegatedAppointments));
        (await appointmentsOnly.GetAsync("/api/v1/prescriptions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_a_valid_token_every_route_is_401()
    {
        using var client = app.CreateClient(app.Issuer.CreateExpiredToken());
        foreach (var path in new[] { "/api/v1/prescriptions", $"/api/v1/prescriptions/{Guid.CreateVersion7()}", "/api/v1/prescriptions/pharmacy/queue" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await client.PostAsync("/fhir/R4/MedicationRequest", PrescriptionsApp.AsFhir("{}"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_with_the_bearer_scheme_and_problem_responses()
    {
        using var anonymous = app.Factory.CreateClient();
        var document = await OpenApiDocuments.ReadAndCheckAsync(anonymous, app.Factory.Services);
        OpenApiDocuments.Operations(document).Count().ShouldBeGreaterThanOrEqualTo(10);
    }
}
