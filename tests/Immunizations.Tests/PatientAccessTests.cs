using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Tests;

[Collection(ImmunizationsCollection.Name)]
public sealed class PatientAccessTests(ImmunizationsApp app)
{
    private async Task<Guid> RecordAsync(string snils, string administeredOn, string vaccineName = "Превенар 13")
    {
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        var body = RecordImmunizationTests.ValidBody(snils);
        body["administeredOn"] = administeredOn;
        body["vaccine"]!["name"] = vaccineName;
        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_patient_lists_only_their_own_vaccinations_newest_first()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var (_, otherSnils) = await app.AddKnownPatientAsync();
        var older = await RecordAsync(snils, "2020-03-01", "АДС-М");
        var newer = await RecordAsync(snils, "2024-10-15", "Гриппол плюс");
        var middle = await RecordAsync(snils, "2022-06-30", "Вактривир");
        await RecordAsync(otherSnils, "2023-01-01");

        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync("/api/v1/immunizations");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await response.ReadObjectAsync())["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([newer, middle, older]);
        items.ShouldAllBe(i => i!["patientId"]!.GetValue<Guid>() == patientId);
        items[0]!["vaccine"]!["name"]!.GetValue<string>().ShouldBe("Гриппол плюс");
        items[0]!["administeredOn"]!.GetValue<string>().ShouldBe("2024-10-15");
    }

    [Fact]
    public async Task A_patient_reads_their_vaccination_by_id()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var id = await RecordAsync(snils, "2024-01-20");

        using var client = app.PatientClient(patientId);
        using var response = await client.GetAsync($"/api/v1/immunizations/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.ReadObjectAsync();
        body["id"]!.GetValue<Guid>().ShouldBe(id);
        body["organization"]!["name"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        body["lotNumber"]!.GetValue<string>().ShouldBe("И-1234-56");
    }

    [Fact]
    public async Task Another_patient_sees_none_of_it()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var id = await RecordAsync(snils, "2024-01-20");
        var stranger = Guid.CreateVersion7();

        using var client = app.PatientClient(stranger);
        using var byId = await client.GetAsync($"/api/v1/immunizations/{id}");
        using var list = await client.GetAsync("/api/v1/immunizations");

        byId.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Indistinguishable from an id that does not exist at all.
        using var missing = await client.GetAsync($"/api/v1/immunizations/{Guid.CreateVersion7()}");
        var (found, absent) = (await byId.ReadObjectAsync(), await missing.ReadObjectAsync());
        foreach (var key in new[] { "status", "title", "detail", "type" })
        {
            found[key]?.ToJsonString().ShouldBe(absent[key]?.ToJsonString(), key);
        }
        found.Select(p => p.Key).Order().ShouldBe(absent.Select(p => p.Key).Order());
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await list.ReadObjectAsync())["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_id_is_404()
    {
        using var client = app.PatientClient(Guid.CreateVersion7());
        using var response = await client.GetAsync($"/api/v1/immunizations/{Guid.CreateVersion7()}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_patient_token_cannot_record_a_vaccination()
    {
        var (patientId, snils) = await app.AddKnownPatientAsync();
        var before = await app.WithDbAsync(db => db.Immunizations.CountAsync());
        using var client = app.PatientClient(patientId);

        using var response = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await app.WithDbAsync(db => db.Immunizations.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task An_organization_token_without_the_publish_scope_or_org_id_cannot_record()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var noScope = app.Issuer.CreateToken("client-x", [HealthClaims.Roles.MedicalOrganization], [HealthClaims.Scopes.Health],
            new Dictionary<string, object> { ["org_id"] = Guid.NewGuid().ToString(), ["org_name"] = "ГБУЗ" });
        var noOrg = app.Issuer.CreateToken("client-y", [HealthClaims.Roles.MedicalOrganization], [HealthClaims.Scopes.HealthPublish]);

        foreach (var token in new[] { noScope, noOrg })
        {
            using var client = app.CreateClient(token);
            using var response = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task An_organization_token_cannot_read_a_patients_list()
    {
        using var client = app.OrganizationClient(Guid.CreateVersion7());
        using var response = await client.GetAsync("/api/v1/immunizations");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_a_valid_token_every_endpoint_is_401()
    {
        var (_, snils) = await app.AddKnownPatientAsync();
        var before = await app.WithDbAsync(db => db.Immunizations.CountAsync());
        var tokens = new string?[]
        {
            null,
            app.Issuer.CreateExpiredToken(),
            app.Issuer.CreateTokenWithWrongAudience(),
            app.Issuer.CreateTokenSignedByAnotherKey(),
            app.Issuer.CreateUnsignedToken(),
        };

        foreach (var token in tokens)
        {
            using var client = app.CreateClient(token);
            using var post = await client.PostAsJsonAsync("/api/v1/immunizations", RecordImmunizationTests.ValidBody(snils));
            using var list = await client.GetAsync("/api/v1/immunizations");
            using var one = await client.GetAsync($"/api/v1/immunizations/{Guid.CreateVersion7()}");

            post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            list.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            one.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await app.WithDbAsync(db => db.Immunizations.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Readiness_checks_the_database_and_the_broker()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("immunizationsdb");
        text.ShouldContain("rabbitmq");
    }
}
