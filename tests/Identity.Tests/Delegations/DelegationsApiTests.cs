using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Microsoft.EntityFrameworkCore;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Tests.Delegations;

/// <summary>Linking children, powers of attorney, and who sees and ends them.</summary>
public sealed class DelegationsApiTests(IdentityServiceFixture fixture) : DelegationTest(fixture)
{
    [Fact]
    public async Task Linking_a_child_creates_a_managed_account_and_a_guardian_delegation_until_the_18th_birthday()
    {
        var guardian = await PersonAsync();
        var birthDate = Today.AddYears(-5).AddDays(-40);
        var snils = Snils.Generate();
        using var api = Api(guardian.AccessToken);

        using var response = await api.PostAsJsonAsync("/api/v1/account/children", ChildBody(snils, birthDate));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("accountCreated").GetBoolean().ShouldBeTrue();
        var childId = body.GetProperty("child").GetProperty("id").GetGuid();
        body.GetProperty("child").GetProperty("name").GetString().ShouldBe("Иванова Софья Алексеевна");
        var delegation = body.GetProperty("delegation");
        delegation.GetProperty("kind").GetString().ShouldBe("guardian");
        delegation.GetProperty("scope").GetString().ShouldBe("manage");
        delegation.GetProperty("status").GetString().ShouldBe("active");
        delegation.GetProperty("document").GetProperty("reference").GetString().ShouldBe("IV-МЮ № 654321");
        delegation.GetProperty("validTo").GetDateTimeOffset()
            .ShouldBe(new DateTimeOffset(birthDate.AddYears(18).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/account/delegations/{delegation.GetProperty("id").GetGuid()}");

        var child = await Fixture.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == childId));
        child.IsManagedByGuardian.ShouldBeTrue();
        child.Level.ShouldBe(AccountLevel.Standard);
        child.Snils.ShouldBe(snils);
        child.PasswordHash.ShouldBeNull();

        (await OutboxAsync<PatientRegistered>()).ShouldContain(e => e.GetProperty("patientId").GetGuid() == childId
                                                                    && e.GetProperty("snils").GetString() == snils);
        var granted = (await OutboxAsync<DelegationGranted>()).Single(e => e.GetProperty("patientId").GetGuid() == childId);
        granted.GetProperty("actorId").GetGuid().ShouldBe(guardian.Id);
        granted.GetProperty("scope").GetString().ShouldBe("manage");
        (await OutboxAsync<SecurityEventRecorded>()).ShouldContain(e =>
            e.GetProperty("kind").GetString() == SecurityEventKinds.DelegationGranted
            && e.GetProperty("subjectId").ValueKind == JsonValueKind.String && e.GetProperty("subjectId").GetGuid() == childId
            && e.GetProperty("actorId").GetGuid() == guardian.Id);

        // The same guardian cannot link the same child twice; the other parent can link the existing account.
        using var twice = await api.PostAsJsonAsync("/api/v1/account/children", ChildBody(snils, birthDate));
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        twice.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var otherParent = await PersonAsync();
        using var other = await Api(otherParent.AccessToken).PostAsJsonAsync("/api/v1/account/children", ChildBody(snils, birthDate));
        other.StatusCode.ShouldBe(HttpStatusCode.Created, await other.Content.ReadAsStringAsync());
        var linked = await other.Content.ReadFromJsonAsync<JsonElement>();
        linked.GetProperty("accountCreated").GetBoolean().ShouldBeFalse();
        linked.GetProperty("child").GetProperty("id").GetGuid().ShouldBe(childId);
        (await Fixture.WithDbAsync(db => db.Users.CountAsync(u => u.Snils == snils))).ShouldBe(1);
    }

    [Fact]
    public async Task Existing_child_data_must_match_and_an_adult_cannot_be_linked()
    {
        var guardian = await PersonAsync();
        var (_, _, snils) = await LinkChildAsync(guardian, Today.AddYears(-3));
        var stranger = await PersonAsync();
        using var api = Api(stranger.AccessToken);

        using var wrongDate = await api.PostAsJsonAsync("/api/v1/account/children", ChildBody(snils, Today.AddYears(-4)));
        await ShouldBeValidationProblemAsync(wrongDate, "snils");

        // An adult's SNILS: refused, and the adult's account is untouched.
        using var adult = await api.PostAsJsonAsync("/api/v1/account/children",
            ChildBody(guardian.Account.Snils, guardian.Account.BirthDate, guardian.Account.FamilyName, guardian.Account.GivenName));
        await ShouldBeValidationProblemAsync(adult, "birthDate");
        (await Fixture.WithDbAsync(db => db.Delegations.CountAsync(d => d.PrincipalId == guardian.Id))).ShouldBe(0);
    }

    public static TheoryData<string, string> BadChildren => new()
    {
        { """{"familyName":"","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}","birthCertificate":{"series":"IV-МЮ","number":"123456","issuedOn":"2020-01-10"}}""", "familyName" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"123-456-789 00","birthCertificate":{"series":"IV-МЮ","number":"123456","issuedOn":"2020-01-10"}}""", "snils" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2099-01-01","snils":"{SNILS}","birthCertificate":{"series":"IV-МЮ","number":"123456","issuedOn":"2020-01-10"}}""", "birthDate" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}","birthCertificate":{"series":"4-MU","number":"123456","issuedOn":"2020-01-10"}}""", "birthCertificate.series" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}","birthCertificate":{"series":"IV-МЮ","number":"12345","issuedOn":"2020-01-10"}}""", "birthCertificate.number" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}","birthCertificate":{"series":"IV-МЮ","number":"123456","issuedOn":"2019-12-31"}}""", "birthCertificate.issuedOn" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}"}""", "birthCertificate" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"01.01.2020","snils":"{SNILS}"}""", "birthDate" },
        { """{"familyName":"Иванова","givenName":"Софья","birthDate":"2020-01-01","snils":"{SNILS}","sex":"x","birthCertificate":{"series":"IV-МЮ","number":"123456","issuedOn":"2020-01-10"}}""", "sex" },
    };

    [Theory]
    [MemberData(nameof(BadChildren))]
    public async Task A_bad_child_is_a_problem_naming_the_field_and_nothing_is_created(string json, string field)
    {
        var guardian = await PersonAsync();
        var snils = Snils.Generate();
        using var api = Api(guardian.AccessToken);
        using var response = await api.PostAsync("/api/v1/account/children",
            new StringContent(json.Replace("{SNILS}", snils), System.Text.Encoding.UTF8, "application/json"));
        await ShouldBeValidationProblemAsync(response, field);
        (await Fixture.WithDbAsync(db => db.Delegations.CountAsync(d => d.ActorId == guardian.Id))).ShouldBe(0);
        (await Fixture.WithDbAsync(db => db.Users.CountAsync(u => u.Snils == snils))).ShouldBe(0);
    }

    [Fact]
    public async Task A_principal_grants_a_power_of_attorney_both_sides_see_it_and_strangers_see_nothing()
    {
        Person principal = await PersonAsync(), representative = await PersonAsync(), stranger = await PersonAsync();
        var validTo = DateTimeOffset.UtcNow.AddDays(90);
        using var granted = await GrantAsync(principal, representative, "manage", validTo);
        granted.StatusCode.ShouldBe(HttpStatusCode.Created, await granted.Content.ReadAsStringAsync());
        var id = (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var mine = await Api(principal.AccessToken).GetFromJsonAsync<JsonElement>("/api/v1/account/delegations");
        var given = mine.GetProperty("given").EnumerateArray().ShouldHaveSingleItem();
        given.GetProperty("id").GetGuid().ShouldBe(id);
        given.GetProperty("kind").GetString().ShouldBe("representative");
        given.GetProperty("actor").GetProperty("id").GetGuid().ShouldBe(representative.Id);
        given.GetProperty("tokenScopes").EnumerateArray().Select(s => s.GetString())
            .ShouldBe(["health.delegated.records", "health.delegated.appointments"]);
        mine.GetProperty("received").GetArrayLength().ShouldBe(0);

        var theirs = await Api(representative.AccessToken).GetFromJsonAsync<JsonElement>("/api/v1/account/delegations");
        var received = theirs.GetProperty("received").EnumerateArray().ShouldHaveSingleItem();
        received.GetProperty("principal").GetProperty("name").GetString()!.ShouldStartWith(principal.Account.FamilyName);

        // A stranger: nothing in the list, 404 for the id, and no way to revoke it.
        using var strangerApi = Api(stranger.AccessToken);
        var nothing = await strangerApi.GetFromJsonAsync<JsonElement>("/api/v1/account/delegations");
        nothing.GetProperty("given").GetArrayLength().ShouldBe(0);
        nothing.GetProperty("received").GetArrayLength().ShouldBe(0);
        using (var get = await strangerApi.GetAsync($"/api/v1/account/delegations/{id}"))
        {
            get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await get.Content.ReadAsStringAsync()).ShouldNotContain(principal.Account.FamilyName);
        }
        (await strangerApi.DeleteAsync($"/api/v1/account/delegations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Fixture.WithDbAsync(db => db.Delegations.SingleAsync(d => d.Id == id))).RevokedAt.ShouldBeNull();

        // Granting the same representative again while the first is in force: a conflict.
        using var again = await GrantAsync(principal, representative, "all", validTo);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // The principal ends it; the list shows it revoked.
        (await Api(principal.AccessToken).DeleteAsync($"/api/v1/account/delegations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var after = await Api(representative.AccessToken).GetFromJsonAsync<JsonElement>($"/api/v1/account/delegations/{id}");
        after.GetProperty("status").GetString().ShouldBe("revoked");
        (await Api(principal.AccessToken).DeleteAsync($"/api/v1/account/delegations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await OutboxAsync<DelegationRevoked>()).Count(e => e.GetProperty("delegationId").GetGuid() == id).ShouldBe(1);
    }

    [Fact]
    public async Task A_representative_can_give_up_a_delegation()
    {
        Person principal = await PersonAsync(), representative = await PersonAsync();
        var id = await GrantIdAsync(principal, representative, "limited", DateTimeOffset.UtcNow.AddDays(1));
        (await Api(representative.AccessToken).DeleteAsync($"/api/v1/account/delegations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var row = await Fixture.WithDbAsync(db => db.Delegations.SingleAsync(d => d.Id == id));
        row.RevokedBy.ShouldBe(representative.Id);
    }

    [Fact]
    public async Task An_unconfirmed_account_can_neither_grant_nor_link_a_child()
    {
        Person unconfirmed = await PersonAsync(AccountLevel.Standard), representative = await PersonAsync();
        using var grant = await GrantAsync(unconfirmed, representative, "all", DateTimeOffset.UtcNow.AddDays(10));
        await ShouldBeRefusedAsync(grant, "account_not_confirmed");

        using var link = await Api(unconfirmed.AccessToken).PostAsJsonAsync("/api/v1/account/children",
            ChildBody(Snils.Generate(), Today.AddYears(-2)));
        await ShouldBeRefusedAsync(link, "account_not_confirmed");
        (await Fixture.WithDbAsync(db => db.Delegations.CountAsync(d => d.PrincipalId == unconfirmed.Id || d.ActorId == unconfirmed.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task A_delegated_token_cannot_grant_list_or_revoke_delegations()
    {
        var guardian = await PersonAsync();
        var (_, delegationId, _) = await LinkChildAsync(guardian);
        var delegated = (await ExchangedAsync(delegationId, guardian)).GetProperty("access_token").GetString()!;
        using var asChild = Api(delegated);

        await ShouldBeRefusedAsync(await asChild.GetAsync("/api/v1/account/delegations"), "own_account_only");
        await ShouldBeRefusedAsync(await asChild.DeleteAsync($"/api/v1/account/delegations/{delegationId}"), "own_account_only");
        await ShouldBeRefusedAsync(await asChild.PostAsJsonAsync("/api/v1/account/children",
            ChildBody(Snils.Generate(), Today.AddYears(-1))), "own_account_only");
        (await Fixture.WithDbAsync(db => db.Delegations.SingleAsync(d => d.Id == delegationId))).RevokedAt.ShouldBeNull();
    }

    public static TheoryData<string, string> BadGrants => new()
    {
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"{PAST}","scope":"all"}""", "validTo" },
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"{FAR}","scope":"all"}""", "validTo" },
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validFrom":"{SOON}","validTo":"{SOONER}","scope":"all"}""", "validTo" },
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"{SOON}","scope":"everything"}""", "scope" },
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"issuedOn":"{TODAY}"},"validTo":"{SOON}","scope":"all"}""", "powerOfAttorney.number" },
        { """{"representative":{"snils":"{SELF}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"{SOON}","scope":"all"}""", "representative.snils" },
        { """{"representative":{"snils":"{NOBODY}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"{SOON}","scope":"all"}""", "representative.snils" },
        { """{"representative":{"snils":"{REP}"},"powerOfAttorney":{"number":"1","issuedOn":"{TODAY}"},"validTo":"tomorrow","scope":"all"}""", "validTo" },
    };

    [Theory]
    [MemberData(nameof(BadGrants))]
    public async Task A_bad_grant_is_a_problem_naming_the_field_and_nothing_is_granted(string json, string field)
    {
        Person principal = await PersonAsync(), representative = await PersonAsync();
        var now = DateTimeOffset.UtcNow;
        var body = json
            .Replace("{REP}", representative.Account.Snils).Replace("{SELF}", principal.Account.Snils).Replace("{NOBODY}", Snils.Generate())
            .Replace("{TODAY}", Today.ToString("yyyy-MM-dd")).Replace("{PAST}", now.AddHours(-1).ToString("O"))
            .Replace("{FAR}", now.AddYears(6).ToString("O")).Replace("{SOON}", now.AddDays(2).ToString("O"))
            .Replace("{SOONER}", now.AddDays(1).ToString("O"));
        using var response = await Api(principal.AccessToken).PostAsync("/api/v1/account/delegations",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await ShouldBeValidationProblemAsync(response, field);
        (await Fixture.WithDbAsync(db => db.Delegations.CountAsync(d => d.PrincipalId == principal.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Without_a_token_the_delegation_api_answers_401()
    {
        using var anonymous = Fixture.CreateClient();
        (await anonymous.GetAsync("/api/v1/account/delegations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/v1/account/children", new { })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task ShouldBeValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(field, text);
        problem.GetProperty("detail").GetString()!.ShouldContain("Исправьте");
    }

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("reason").GetString().ShouldBe(reason);
        problem.GetProperty("detail").GetString()!.ShouldNotBeNullOrWhiteSpace();
    }
}
