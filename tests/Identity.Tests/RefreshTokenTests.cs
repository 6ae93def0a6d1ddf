using System.Net;

namespace Gosuslugi.Health.Identity.Tests;

public sealed class RefreshTokenTests(IdentityServiceFixture fixture) : IdentityTest(fixture)
{
    [Fact]
    public async Task Each_refresh_rotates_the_refresh_token()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var first = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);

        using var response = await browser.RefreshAsync(first.RefreshToken!);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var second = await TokenSet.ReadAsync(response);
        second.RefreshToken.ShouldNotBeNullOrEmpty();
        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        second.AccessToken.ShouldNotBe(first.AccessToken);
        second.Access.Subject.ShouldBe(patient.UserId.ToString());
        second.Access.GetClaim("auth_time").Value.ShouldBe(first.Access.GetClaim("auth_time").Value);
        (await ValidateAccessTokenAsync(second.AccessToken)).IsValid.ShouldBeTrue();

        using var third = await browser.RefreshAsync(second.RefreshToken!);
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var first = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        using var rotated = await browser.RefreshAsync(first.RefreshToken!);
        var second = await TokenSet.ReadAsync(rotated);

        // An attacker (or a confused client) presents the old token.
        using var reuse = await browser.RefreshAsync(first.RefreshToken!);
        await reuse.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");

        // The legitimate holder of the newest token is signed out too.
        using var afterReuse = await browser.RefreshAsync(second.RefreshToken!);
        await afterReuse.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Other_sign_ins_are_not_affected_by_a_revoked_family()
    {
        var patient = await NewPatientAsync();
        var mine = await NewBrowser().SignInAndRedeemAsync(patient.Username, patient.Password);
        var browser = NewBrowser();
        var other = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        using var rotated = await browser.RefreshAsync(other.RefreshToken!);
        using var reuse = await browser.RefreshAsync(other.RefreshToken!);
        reuse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var stillValid = await browser.RefreshAsync(mine.RefreshToken!);
        stillValid.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scope_but_not_widen_it()
    {
        var patient = await NewPatientAsync();
        var browser = NewBrowser();
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password, "openid offline_access health");

        using var wider = await browser.RefreshAsync(tokens.RefreshToken!, "openid offline_access health profile");
        // OpenIddict answers a scope beyond the grant with invalid_grant (RFC 6749 §6 suggests invalid_scope).
        await wider.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");

        using var narrower = await browser.RefreshAsync(tokens.RefreshToken!, "health");
        narrower.StatusCode.ShouldBe(HttpStatusCode.OK);
        var narrowed = await TokenSet.ReadAsync(narrower);
        narrowed.Scope.ShouldBe("health");
        narrowed.Access.GetClaim("scope").Value.ShouldBe("health");

        // The grant itself keeps its scope: the next refresh may ask for all of it again.
        using var full = await browser.RefreshAsync(narrowed.RefreshToken!);
        (await TokenSet.ReadAsync(full)).Scope.Split(' ').ShouldBe(["openid", "offline_access", "health"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_unknown_refresh_token_is_invalid_grant()
    {
        using var response = await NewBrowser().RefreshAsync("not-a-refresh-token");
        await response.ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }
}
