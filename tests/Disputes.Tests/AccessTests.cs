using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Disputes.Tests;

/// <summary>
/// Every endpoint that takes a request id, called with the wrong kind of token or someone else's: 403 or 404, and
/// nothing of the request in the body.
/// </summary>
[Collection(DisputesCollection.Name)]
public sealed class AccessTests(DisputesApp app)
{
    private const string Comment = "Нет выписки после госпитализации";

    private async Task<(Guid PatientId, Guid OrganizationId, Guid RequestId)> RequestAsync()
    {
        var patientId = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        using var client = app.PatientClient(patientId);
        using var response = await client.PostAsJsonAsync(PatientDataRequestsTests.Route,
            PatientDataRequestsTests.ValidBody(organizationId, "discharge", Comment));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (patientId, organizationId, (await response.ReadObjectAsync())["id"]!.GetValue<Guid>());
    }

    private static async Task ShouldRevealNothingAsync(HttpResponseMessage response, Guid requestId, params HttpStatusCode[] allowed)
    {
        var text = Json.WithoutInstance(await response.Content.ReadAsStringAsync());
        response.StatusCode.ShouldBeOneOf(allowed, text);
        text.ShouldNotContain(requestId.ToString());
        text.ShouldNotContain(Comment);
        text.ShouldNotContain("discharge");
    }

    [Fact]
    public async Task Another_patient_gets_404_for_the_request_and_does_not_see_it_in_their_list()
    {
        var (_, _, requestId) = await RequestAsync();
        using var stranger = app.PatientClient(Guid.CreateVersion7());

        using var one = await stranger.GetAsync($"{PatientDataRequestsTests.Route}/{requestId}");
        await ShouldRevealNothingAsync(one, requestId, HttpStatusCode.NotFound);
        using var list = await stranger.GetAsync(PatientDataRequestsTests.Route);
        await ShouldRevealNothingAsync(list, requestId, HttpStatusCode.OK);

        // Another patient's representative is no closer.
        using var representative = app.RepresentativeClient(Guid.CreateVersion7());
        using var viaDelegation = await representative.GetAsync($"{PatientDataRequestsTests.Route}/{requestId}");
        await ShouldRevealNothingAsync(viaDelegation, requestId, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admins_doctors_and_organizations_cannot_use_the_patients_endpoints()
    {
        var (_, organizationId, requestId) = await RequestAsync();
        foreach (var client in new[] { app.AdminClient(), app.DoctorClient(organizationId), app.OrganizationClient(organizationId) })
        {
            using (client)
            {
                using var one = await client.GetAsync($"{PatientDataRequestsTests.Route}/{requestId}");
                await ShouldRevealNothingAsync(one, requestId, HttpStatusCode.Forbidden);
                using var list = await client.GetAsync(PatientDataRequestsTests.Route);
                await ShouldRevealNothingAsync(list, requestId, HttpStatusCode.Forbidden);
            }
        }
    }

    [Fact]
    public async Task Another_organization_gets_404_and_changes_nothing()
    {
        var (patientId, _, requestId) = await RequestAsync();
        using var other = app.OrganizationClient(Guid.CreateVersion7(), "ГБУЗ «Другая больница»");

        using var change = await other.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{requestId}/status",
            new { status = "refused", answer = "Не наш пациент" });
        await ShouldRevealNothingAsync(change, requestId, HttpStatusCode.NotFound);
        // Even a wrong body does not tell whether the id exists.
        using var invalid = await other.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{requestId}/status",
            new { status = "lost" });
        await ShouldRevealNothingAsync(invalid, requestId, HttpStatusCode.NotFound);
        using var list = await other.GetAsync(OrganizationDataRequestsTests.Route);
        await ShouldRevealNothingAsync(list, requestId, HttpStatusCode.OK);

        var status = await app.WithDbAsync(db => db.DataRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());
        status.ShouldBe("submitted");
        _ = patientId;
    }

    [Fact]
    public async Task Patients_admins_and_doctors_cannot_use_the_organizations_endpoints()
    {
        var (patientId, organizationId, requestId) = await RequestAsync();
        foreach (var client in new[] { app.PatientClient(patientId), app.AdminClient(), app.DoctorClient(organizationId) })
        {
            using (client)
            {
                using var change = await client.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{requestId}/status",
                    new { status = "answered", answer = "Готово" });
                await ShouldRevealNothingAsync(change, requestId, HttpStatusCode.Forbidden);
                using var list = await client.GetAsync(OrganizationDataRequestsTests.Route);
                await ShouldRevealNothingAsync(list, requestId, HttpStatusCode.Forbidden);
            }
        }

        var status = await app.WithDbAsync(db => db.DataRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());
        status.ShouldBe("submitted");
    }

    [Fact]
    public async Task Without_a_token_every_endpoint_is_401()
    {
        var (_, _, requestId) = await RequestAsync();
        using var anonymous = app.CreateClient();
        foreach (var response in new[]
                 {
                     await anonymous.GetAsync(PatientDataRequestsTests.Route),
                     await anonymous.GetAsync($"{PatientDataRequestsTests.Route}/{requestId}"),
                     await anonymous.PostAsJsonAsync(PatientDataRequestsTests.Route, new { }),
                     await anonymous.GetAsync(OrganizationDataRequestsTests.Route),
                     await anonymous.PostAsJsonAsync($"{OrganizationDataRequestsTests.Route}/{requestId}/status", new { status = "answered" }),
                 })
        {
            using (response)
            {
                await ShouldRevealNothingAsync(response, requestId, HttpStatusCode.Unauthorized);
            }
        }
    }
}
