using System.Net;
using Gosuslugi.Health.Identity.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class DatabaseTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task Every_model_change_has_a_migration_and_all_are_applied()
    {
        var (pendingChanges, pendingMigrations) = await Fixture.WithDbAsync(async db =>
            (db.Database.HasPendingModelChanges(), (await db.Database.GetPendingMigrationsAsync()).ToList()));
        pendingChanges.ShouldBeFalse();
        pendingMigrations.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_design_time_factory_builds_the_same_model_as_the_service()
    {
        await using var designTime = new IdentityDbFactory().CreateDbContext([]);
        designTime.Database.HasPendingModelChanges().ShouldBeFalse();
    }

    [Fact]
    public async Task A_second_instance_on_the_same_database_shares_keys_and_sessions_and_seeds_nothing()
    {
        var patient = await NewPatientAsync();
        var usersBefore = await Fixture.WithDbAsync(db => db.Users.CountAsync());
        var keysBefore = await Fixture.WithDbAsync(db => db.SigningKeys.CountAsync());
        var missingDemoFile = Path.Combine(Path.GetTempPath(), "identity-tests-" + Guid.NewGuid().ToString("N"), "demo.json");

        await using var second = new IdentityFactory(IdentityServiceFixture.Settings(Fixture.ConnectionString, Fixture.RabbitMq, missingDemoFile));
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(IdentityServiceFixture.Issuer) };
        using var secondHttp = second.CreateClient(options);

        // Migrations ran again without harm; no new users, no new key, no demo file.
        (await Fixture.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(usersBefore);
        (await Fixture.WithDbAsync(db => db.SigningKeys.CountAsync())).ShouldBe(keysBefore);
        File.Exists(missingDemoFile).ShouldBeFalse();

        // A token of the first instance verifies with the second one's JWKS.
        var tokens = await NewBrowser().SignInAndRedeemAsync(patient.Username, patient.Password);
        var jwks = new JsonWebKeySet(await secondHttp.GetStringAsync("/.well-known/jwks.json"));
        jwks.Keys.Select(k => k.Kid).ShouldContain(tokens.Access.Kid);

        // A login form served by the first instance is accepted by the second (shared Data Protection keys).
        using var firstHttp = Fixture.Factory.CreateClient(options);
        var browser = new OAuthDriver(firstHttp, Demo.PublicClient.ClientId, Demo.PublicClient.RedirectUri);
        using var page = await browser.GetAuthorizeAsync(browser.AuthorizeParameters(OAuthDriver.NewVerifier()));
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gosuslugi.health.antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        var form = OAuthDriver.ParseForm(await page.Content.ReadAsStringAsync());
        form.Fields["username"] = patient.Username;
        form.Fields["password"] = patient.Password;
        using var post = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(form.Fields) };
        post.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await secondHttp.SendAsync(post);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldContain("/connect/authorize/second-factor"); // the password was accepted
    }
}
