using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

public sealed class ConsentTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    [Fact]
    public async Task The_consent_is_shown_with_its_text_version_and_date()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var status = await JsonAsync(await http.GetAsync(Consent), HttpStatusCode.OK);
        status.GetProperty("currentVersion").GetString().ShouldBe(ConsentVersion);
        status.GetProperty("currentText").GetString().ShouldNotBeNull().ShouldContain("персональных данных");
        status.GetProperty("inForce").GetBoolean().ShouldBeTrue();
        status.GetProperty("consent").GetProperty("givenAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        status.GetProperty("consent").GetProperty("withdrawnAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Withdrawing_consent_is_published_and_stops_the_persons_tokens_at_once()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        var tokens = await NewBrowser().SignInAndRedeemAsync(patient.Username, patient.Password);
        using var http = Fixture.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        (await http.GetAsync(Profile)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var withdrawn = await http.DeleteAsync(Consent);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.NoContent, await withdrawn.Content.ReadAsStringAsync());

        var consent = await Fixture.WithDbAsync(db => db.PersonalDataConsents.SingleAsync(c => c.UserId == patient.UserId));
        consent.WithdrawnAt.ShouldNotBeNull();
        (await OutboxAsync<PersonalDataConsentChanged>(e => e.PatientId == patient.UserId && !e.Given)).ShouldHaveSingleItem().Version.ShouldBe(ConsentVersion);
        (await SecurityEventsAsync(patient.UserId, SecurityEventKinds.ConsentWithdrawn)).ShouldHaveSingleItem();

        // The token it was done with, and the refresh token of that sign-in, stop now rather than when they expire.
        (await http.GetAsync(Profile)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        if (tokens.RefreshToken is { } refresh)
            await (await NewBrowser().RefreshAsync(refresh)).ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
        (await Fixture.WithDbAsync(db => db.Sessions.AnyAsync(s => s.UserId == patient.UserId && s.EndedAt == null))).ShouldBeFalse();

        // Withdrawing again changes nothing and publishes nothing.
        using var fresh = await ClientAsync(patient.UserId);
        (await fresh.DeleteAsync(Consent)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await OutboxAsync<PersonalDataConsentChanged>(e => e.PatientId == patient.UserId && !e.Given)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Consent_is_given_again_to_the_current_edition_only()
    {
        var person = await RegisterAsync();
        using (var http = await ClientAsync(person.UserId))
            (await http.DeleteAsync(Consent)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var again = await ClientAsync(person.UserId);
        var status = await JsonAsync(await again.GetAsync(Consent), HttpStatusCode.OK);
        status.GetProperty("inForce").GetBoolean().ShouldBeFalse();
        status.GetProperty("consent").GetProperty("withdrawnAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);

        using (var old = await again.PostAsJsonAsync(Consent, new { version = "2020-1" }))
            (await ValidationErrorsAsync(old)).TryGetProperty("version", out _).ShouldBeTrue();

        var given = await JsonAsync(await again.PostAsJsonAsync(Consent, new { version = ConsentVersion }), HttpStatusCode.OK);
        given.GetProperty("inForce").GetBoolean().ShouldBeTrue();
        (await OutboxAsync<PersonalDataConsentChanged>(e => e.PatientId == person.UserId)).Select(e => e.Given).ShouldBe([true, false, true]);
        (await Fixture.WithDbAsync(db => db.PersonalDataConsents.CountAsync(c => c.UserId == person.UserId))).ShouldBe(2, "a new consent is a new row: the history stays");
    }
}
