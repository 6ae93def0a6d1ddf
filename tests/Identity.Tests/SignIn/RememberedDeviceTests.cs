using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.SignIn;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

public sealed class RememberedDeviceTests(SignInFixture fixture) : SignInTest(fixture)
{
    private const string Devices = "/api/v1/account/devices";

    [Fact]
    public async Task A_remembered_device_skips_the_second_factor_and_forgetting_it_brings_it_back()
    {
        var person = await Fixture.NewPatientAsync();
        var browser = Fixture.NewBrowser();
        Clock.MoveToStartOfTotpStep();
        var tokens = await SignInWithTotpAsync(person, NewAttempt(browser), rememberDevice: true);

        var cookie = browser.Cookie(RememberedDevices.CookieName).ShouldNotBeNull();
        cookie.HttpOnly.ShouldBeTrue();
        cookie.Path.ShouldBe("/connect");
        (cookie.Expires - DateTime.Now).ShouldBe(TimeSpan.FromDays(30), TimeSpan.FromMinutes(1));
        var device = await Fixture.WithDbAsync(db => db.RememberedDevices.SingleAsync(d => d.UserId == person.UserId));
        device.TokenHash.ShouldNotBe(cookie.Value);
        device.TokenHash.ShouldNotContain(cookie.Value);
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.DeviceRemembered)).ShouldHaveSingleItem();

        // The next sign-in on this browser (prompt=login: the password again) needs no second factor.
        var again = NewAttempt(browser, prompt: "login");
        using (var answer = await PasswordAsync(again, person))
        {
            var passwordOnly = await RedeemAsync(again, answer);
            passwordOnly.Access.Claims.Where(c => c.Type == "amr").Select(c => c.Value).ShouldBe(["pwd"]);
        }

        using var http = Api(tokens.AccessToken);
        var list = await http.GetFromJsonAsync<JsonElement>(Devices);
        var item = list.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("id").GetGuid().ShouldBe(device.Id);
        item.GetProperty("name").GetString().ShouldBe("Chrome, Windows");

        using (var forgotten = await http.DeleteAsync($"{Devices}/{device.Id}"))
        {
            forgotten.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.DeviceForgotten)).ShouldHaveSingleItem();
        var afterForgetting = NewAttempt(browser, prompt: "login");
        using var asked = await PasswordAsync(afterForgetting, person);
        await SecondFactorFormAsync(asked, "totp");
    }

    [Fact]
    public async Task Another_persons_device_is_not_found_and_stays_remembered()
    {
        var accounts = await Fixture.CreateAccountsAsync();
        Clock.MoveToStartOfTotpStep();
        await SignInWithTotpAsync(accounts.Patient, rememberDevice: true);
        var theirs = await Fixture.WithDbAsync(db => db.RememberedDevices.SingleAsync(d => d.UserId == accounts.Patient.UserId));
        var stranger = await SignInWithTotpAsync(accounts.Doctor);

        using var http = Api(stranger.AccessToken);
        using var response = await http.DeleteAsync($"{Devices}/{theirs.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Устройство не найдено");
        var strangersList = await http.GetFromJsonAsync<JsonElement>(Devices);
        strangersList.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await Fixture.WithDbAsync(db => db.RememberedDevices.SingleAsync(d => d.Id == theirs.Id))).RevokedAt.ShouldBeNull();
    }

    [Fact]
    public async Task Forgetting_all_devices_brings_the_second_factor_back_everywhere()
    {
        var person = await Fixture.NewPatientAsync();
        var laptop = Fixture.NewBrowser();
        var phone = Fixture.NewBrowser();
        Clock.MoveToStartOfTotpStep();
        var tokens = await SignInWithTotpAsync(person, NewAttempt(laptop), rememberDevice: true);
        await SignInWithTotpAsync(person, NewAttempt(phone), rememberDevice: true, stepsOff: 1);

        using var http = Api(tokens.AccessToken);
        (await http.GetFromJsonAsync<JsonElement>(Devices)).GetProperty("items").GetArrayLength().ShouldBe(2);
        using (var forgotten = await http.DeleteAsync(Devices))
        {
            forgotten.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        (await http.GetFromJsonAsync<JsonElement>(Devices)).GetProperty("items").GetArrayLength().ShouldBe(0);

        foreach (var browser in new[] { laptop, phone })
        {
            var attempt = NewAttempt(browser, prompt: "login");
            using var answer = await PasswordAsync(attempt, person);
            await SecondFactorFormAsync(answer, "totp");
        }
    }

    [Fact]
    public async Task The_device_list_needs_a_token_of_the_person_themself()
    {
        using var anonymous = Fixture.NewBrowser().Http;
        (await anonymous.GetAsync(Devices)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.DeleteAsync(Devices)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private HttpClient Api(string accessToken)
    {
        var http = Fixture.NewBrowser().Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }
}
