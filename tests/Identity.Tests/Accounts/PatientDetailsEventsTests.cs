using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Seeding;
using Gosuslugi.Health.Identity.SignIn;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

/// <summary>
/// What identity tells other services about a person's details (OMS policy, confirmed contacts) and about a sign-in
/// from a new device, all through the outbox.
/// </summary>
public sealed class PatientDetailsEventsTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    private const string Documents = Profile + "/documents";
    private const string PhoneChange = "/api/v1/account/contacts/phone";
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string FirefoxOnAndroid = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";

    private static string NewOmsNumber() =>
        "7" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9") + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");

    private static object OmsBody(string number, string validFrom, string? validTo) =>
        new { omsPolicy = new { number, insurer = "АО «Страховая компания «СОГАЗ-Мед»", validFrom, validTo } };

    [Fact]
    public async Task Entering_and_changing_the_OMS_policy_publishes_OmsPolicyChanged()
    {
        var person = await RegisterAsync();
        (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == person.UserId)).ShouldBeEmpty("no policy yet");
        using var http = await ClientAsync(person.UserId);
        var number = NewOmsNumber();

        using (var entered = await http.PutAsJsonAsync(Documents, OmsBody(number, "2015-01-01", null)))
            entered.IsSuccessStatusCode.ShouldBeTrue(await entered.Content.ReadAsStringAsync());
        var first = (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem();
        (first.ValidFrom, first.ValidTo).ShouldBe((new DateOnly(2015, 1, 1), (DateOnly?)null));

        using (var changed = await http.PutAsJsonAsync(Documents, OmsBody(number, "2015-01-01", "2030-12-31")))
            changed.IsSuccessStatusCode.ShouldBeTrue(await changed.Content.ReadAsStringAsync());
        var events = await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == person.UserId);
        events.Count.ShouldBe(2);
        (events[1].ValidFrom, events[1].ValidTo).ShouldBe((new DateOnly(2015, 1, 1), (DateOnly?)new DateOnly(2030, 12, 31)));

        // The same policy again changes nothing and tells nobody; a refused one neither.
        using (var same = await http.PutAsJsonAsync(Documents, OmsBody(number, "2015-01-01", "2030-12-31")))
            same.IsSuccessStatusCode.ShouldBeTrue(await same.Content.ReadAsStringAsync());
        using (var bad = await http.PutAsJsonAsync(Documents, OmsBody(number, "2020-01-01", "2019-12-31")))
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == person.UserId)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Registration_and_a_confirmed_phone_change_publish_the_contacts_whole()
    {
        var person = await RegisterAsync();
        var registered = (await OutboxAsync<ContactDetailsChanged>(e => e.PatientId == person.UserId)).ShouldHaveSingleItem();
        (registered.Phone, registered.Email).ShouldBe((person.Phone, person.Email));

        using var http = await ClientAsync(person.UserId);
        var newPhone = NewPhone();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var started = await http.PutAsJsonAsync(PhoneChange, new { phone = newPhone }))
            await JsonAsync(started, HttpStatusCode.Accepted);
        // Started is not changed: the new number is nobody's to write to until its code comes back.
        (await OutboxAsync<ContactDetailsChanged>(e => e.PatientId == person.UserId)).Count.ShouldBe(1);

        var code = await Mailbox.WaitForCodeAsync(newPhone, since, MailTimeout);
        using (var confirmed = await http.PostAsJsonAsync(PhoneChange + "/confirmation", new { code }))
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync());

        var events = await OutboxAsync<ContactDetailsChanged>(e => e.PatientId == person.UserId);
        events.Count.ShouldBe(2);
        (events[1].Phone, events[1].Email).ShouldBe((newPhone, person.Email), "the whole contacts, the e-mail unchanged");
    }

    [Fact]
    public async Task Demo_patients_have_an_OMS_policy_and_seeding_publishes_their_details_once()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var patient in new[] { Demo.Patient, Demo.OtherPatient })
        {
            var policy = (await DocumentsAsync(patient.UserId)).OmsPolicy.ShouldNotBeNull();
            policy.Number.Length.ShouldBe(16);
            policy.ValidFrom.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(today.AddYears(-1), "in force since some years ago");
            policy.ValidTo.ShouldBeNull();

            var oms = (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == patient.UserId)).ShouldHaveSingleItem();
            (oms.ValidFrom, oms.ValidTo).ShouldBe((policy.ValidFrom.Value, (DateOnly?)null));
            var contacts = (await OutboxAsync<ContactDetailsChanged>(e => e.PatientId == patient.UserId)).ShouldHaveSingleItem();
            (contacts.Phone, contacts.Email).ShouldBe((patient.Phone, patient.Email));
        }
        (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == Demo.Doctor.UserId)).ShouldBeEmpty("a doctor's account has no policy");

        // A restart on the same database seeds nothing and publishes nothing again.
        var before = await CountsAsync();
        var missingDemoFile = Path.Combine(Path.GetTempPath(), "identity-tests-" + Guid.NewGuid().ToString("N"), "demo.json");
        await using (var second = new IdentityFactory(IdentityServiceFixture.Settings(Fixture.ConnectionString, Fixture.RabbitMq, missingDemoFile)))
        {
            using var started = second.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(IdentityServiceFixture.Issuer) });
            (await started.GetAsync("/.well-known/openid-configuration")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await CountsAsync()).ShouldBe(before);

        async Task<(int Oms, int Contacts)> CountsAsync()
        {
            var ids = new[] { Demo.Patient.UserId, Demo.OtherPatient.UserId };
            return ((await OutboxAsync<OmsPolicyChanged>(e => ids.Contains(e.PatientId))).Count,
                (await OutboxAsync<ContactDetailsChanged>(e => ids.Contains(e.PatientId))).Count);
        }
    }

    [Fact]
    public async Task A_seeded_patient_is_published_with_policy_and_contacts_in_the_same_commit()
    {
        var patient = await Fixture.WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync(withAuthenticatorApp: false));
        var oms = (await OutboxAsync<OmsPolicyChanged>(e => e.PatientId == patient.UserId)).ShouldHaveSingleItem();
        oms.ValidTo.ShouldBeNull();
        oms.ValidFrom.ShouldBeGreaterThanOrEqualTo(patient.BirthDate);
        var contacts = (await OutboxAsync<ContactDetailsChanged>(e => e.PatientId == patient.UserId)).ShouldHaveSingleItem();
        (contacts.Phone, contacts.Email).ShouldBe((patient.Phone, patient.Email));
    }

    [Fact]
    public async Task The_first_sign_in_from_a_browser_is_from_a_new_device_and_the_next_from_it_is_not()
    {
        var patient = await NewPatientWithoutAppAsync();

        await SignInAsync(patient, ChromeOnWindows);
        var first = (await SignInsAsync(patient.UserId)).ShouldHaveSingleItem();
        first.Details[SignInCompletion.NewDeviceDetail].ShouldBe("true");
        first.Details["device"].ShouldBe("Chrome, Windows");
        first.Details.Values.ShouldNotContain(patient.Password);

        // Another sign-in from the same browser and address (its cookies cleared: no sign-in session to reuse).
        await SignInAsync(patient, ChromeOnWindows);
        var events = await SignInsAsync(patient.UserId);
        events.Count.ShouldBe(2);
        events[1].Details.ContainsKey(SignInCompletion.NewDeviceDetail).ShouldBeFalse("the same browser and address signed in before");
    }

    [Fact]
    public async Task A_sign_in_from_another_browser_is_from_a_new_device()
    {
        var patient = await NewPatientWithoutAppAsync();
        await SignInAsync(patient, ChromeOnWindows);
        await SignInAsync(patient, FirefoxOnAndroid);

        var events = await SignInsAsync(patient.UserId);
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e.Details[SignInCompletion.NewDeviceDetail] == "true");
        events[1].Details["device"].ShouldBe("Firefox, Android");
    }

    /// <summary>Signs in with SMS or e-mail codes: a person without an authenticator app can sign in twice within 30 seconds.</summary>
    private Task<DemoPatient> NewPatientWithoutAppAsync() =>
        Fixture.WithScopeAsync(sp => sp.GetRequiredService<DemoDataSeeder>().CreatePatientAsync(withAuthenticatorApp: false));

    private async Task SignInAsync(DemoPatient patient, string userAgent)
    {
        var browser = NewBrowser();
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var tokens = await browser.SignInAndRedeemAsync(patient.Username, patient.Password);
        tokens.Access.Subject.ShouldBe(patient.UserId.ToString());
    }

    private Task<List<SecurityEventRecorded>> SignInsAsync(Guid userId) => SecurityEventsAsync(userId, SecurityEventKinds.SignInSucceeded);
}
