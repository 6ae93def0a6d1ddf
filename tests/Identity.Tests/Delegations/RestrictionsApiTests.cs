using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests.Delegations;

/// <summary>A patient's restrictions of who may see their record, per organization and per section.</summary>
public sealed class RestrictionsApiTests(IdentityServiceFixture fixture) : DelegationTest(fixture)
{
    private const string Route = "/api/v1/account/restrictions";

    [Fact]
    public async Task A_patient_restricts_an_organization_and_a_section_sees_them_and_lifts_one()
    {
        var patient = await PersonAsync();
        using var api = Api(patient.AccessToken);
        var clinic = Guid.CreateVersion7();

        using var organization = await api.PostAsJsonAsync(Route,
            new { kind = "organization", organizationId = clinic, organizationName = "ООО «Клиника на Лесной»" });
        organization.StatusCode.ShouldBe(HttpStatusCode.Created, await organization.Content.ReadAsStringAsync());
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var section = await api.PostAsJsonAsync(Route, new { kind = "section", section = RecordSections.Psychiatry });
        section.StatusCode.ShouldBe(HttpStatusCode.Created, await section.Content.ReadAsStringAsync());

        var list = await api.GetFromJsonAsync<JsonElement>(Route);
        list.GetProperty("items").GetArrayLength().ShouldBe(2);
        list.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("active").GetBoolean());

        var changed = (await OutboxAsync<AccessRestrictionChanged>()).Where(e => e.GetProperty("patientId").GetGuid() == patient.Id).ToList();
        changed.Count.ShouldBe(2);
        changed.ShouldContain(e => e.GetProperty("kind").GetString() == "organization" && e.GetProperty("organizationId").GetGuid() == clinic);
        changed.ShouldContain(e => e.GetProperty("kind").GetString() == "section" && e.GetProperty("section").GetString() == "psychiatry");

        using var duplicate = await api.PostAsJsonAsync(Route, new { kind = "section", section = RecordSections.Psychiatry });
        duplicate.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await api.DeleteAsync($"{Route}/{organizationId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.DeleteAsync($"{Route}/{organizationId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var lifted = await api.GetFromJsonAsync<JsonElement>($"{Route}/{organizationId}");
        lifted.GetProperty("active").GetBoolean().ShouldBeFalse();
        var liftEvents = (await OutboxAsync<AccessRestrictionChanged>()).Where(e => e.GetProperty("restrictionId").GetGuid() == organizationId).ToList();
        liftEvents.Count.ShouldBe(2);
        liftEvents.ShouldContain(e => !e.GetProperty("active").GetBoolean());
        (await OutboxAsync<SecurityEventRecorded>()).Count(e =>
            e.GetProperty("kind").GetString() == SecurityEventKinds.AccessRestrictionChanged
            && e.GetProperty("subjectId").ValueKind == JsonValueKind.String && e.GetProperty("subjectId").GetGuid() == patient.Id).ShouldBe(3);
    }

    [Fact]
    public async Task Another_person_cannot_see_or_lift_my_restriction()
    {
        Person me = await PersonAsync(), stranger = await PersonAsync();
        using var mine = await Api(me.AccessToken).PostAsJsonAsync(Route, new { kind = "section", section = RecordSections.Hiv });
        var id = (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var strangerApi = Api(stranger.AccessToken);
        (await strangerApi.GetAsync($"{Route}/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await strangerApi.DeleteAsync($"{Route}/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await strangerApi.GetFromJsonAsync<JsonElement>(Route)).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await Fixture.WithDbAsync(db => db.AccessRestrictions.SingleAsync(r => r.Id == id))).LiftedAt.ShouldBeNull();
    }

    public static TheoryData<string, string> BadRestrictions => new()
    {
        { """{"kind":"everything"}""", "kind" },
        { """{"kind":"organization"}""", "organizationId" },
        { """{"kind":"organization","organizationId":"not-a-guid"}""", "organizationId" },
        { """{"kind":"section"}""", "section" },
        { """{"kind":"section","section":"astrology"}""", "section" },
        { """{"kind":"section","section":"hiv","organizationId":"0199c2a0-0000-7000-8000-000000000001"}""", "organizationId" },
        { """{"kind":"organization","organizationId":"0199c2a0-0000-7000-8000-000000000001","section":"astrology"}""", "section" },
    };

    [Theory]
    [MemberData(nameof(BadRestrictions))]
    public async Task A_bad_restriction_is_a_problem_naming_the_field_and_nothing_changes(string json, string field)
    {
        var patient = await PersonAsync();
        using var response = await Api(patient.AccessToken).PostAsync(Route, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(field);
        (await Fixture.WithDbAsync(db => db.AccessRestrictions.CountAsync(r => r.PatientId == patient.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task A_guardian_manages_a_childs_restrictions_and_a_representative_on_a_power_of_attorney_cannot()
    {
        var guardian = await PersonAsync();
        var (childId, delegationId, _) = await LinkChildAsync(guardian);
        var forChild = (await ExchangedAsync(delegationId, guardian)).GetProperty("access_token").GetString()!;
        using (var api = Api(forChild))
        {
            using var added = await api.PostAsJsonAsync(Route, new { kind = "section", section = RecordSections.Reproductive });
            added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        }
        (await Fixture.WithDbAsync(db => db.AccessRestrictions.CountAsync(r => r.PatientId == childId))).ShouldBe(1);
        (await OutboxAsync<SecurityEventRecorded>()).ShouldContain(e =>
            e.GetProperty("kind").GetString() == SecurityEventKinds.AccessRestrictionChanged
            && e.GetProperty("subjectId").ValueKind == JsonValueKind.String && e.GetProperty("subjectId").GetGuid() == childId
            && e.GetProperty("actorId").GetGuid() == guardian.Id);

        Person principal = await PersonAsync(), representative = await PersonAsync();
        var attorney = await GrantIdAsync(principal, representative, "manage", DateTimeOffset.UtcNow.AddDays(3));
        var forPrincipal = (await ExchangedAsync(attorney, representative)).GetProperty("access_token").GetString()!;
        using var refused = await Api(forPrincipal).PostAsJsonAsync(Route, new { kind = "section", section = RecordSections.Hiv });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Fixture.WithDbAsync(db => db.AccessRestrictions.CountAsync(r => r.PatientId == principal.Id))).ShouldBe(0);
    }
}
