using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.TestInfrastructure.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

public sealed class RecoveryTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    [Fact]
    public async Task Recovery_with_the_sms_and_e_mail_codes_sets_a_new_password_and_lifts_the_lockout()
    {
        // A provisioned person: a just-registered one got codes a moment ago, and the resend pause would hold these back.
        var person = await ProvisionedPersonAsync();
        await LockOutAsync(person.UserId);
        using var http = Fixture.CreateClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var id = await StartAsync(http, "8 " + person.Phone[2..]);
        var code = await Mailbox.WaitForCodeAsync(person.Phone, since, MailTimeout);
        var secondFactorCode = await Mailbox.WaitForCodeAsync(person.Email, since, MailTimeout);

        // One factor is not enough.
        using (var oneFactor = await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code, secondFactorCode = "" }))
            (await ValidationErrorsAsync(oneFactor)).TryGetProperty("secondFactorCode", out _).ShouldBeTrue();

        var verified = await JsonAsync(await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code, secondFactorCode }), HttpStatusCode.OK);
        var resetToken = verified.GetProperty("resetToken").GetString().ShouldNotBeNull();

        using (var weak = await http.PostAsJsonAsync($"{Recovery}/{id}/password", new { resetToken, newPassword = "password" }))
            (await ValidationErrorsAsync(weak)).TryGetProperty("newPassword", out _).ShouldBeTrue();

        var newPassword = NewPassword();
        using (var set = await http.PostAsJsonAsync($"{Recovery}/{id}/password", new { resetToken, newPassword }))
            set.StatusCode.ShouldBe(HttpStatusCode.NoContent, await set.Content.ReadAsStringAsync());

        var user = await UserAsync(person.UserId);
        (user.LockoutEnd, user.AccessFailedCount, user.ConsecutiveLockouts).ShouldBe((null, 0, 0));
        (await CheckPasswordAsync(person.UserId, newPassword)).ShouldBeTrue();
        (await SecurityEventsAsync(person.UserId, SecurityEventKinds.PasswordRecovered)).ShouldContain(e => e.Outcome == "success");
        (await Mailbox.WaitForMessageAsync(person.Phone, since, MailTimeout, m => m.Text.Contains("восстановлен"))).ShouldNotBeNull();

        // The reset token works once.
        using var again = await http.PostAsJsonAsync($"{Recovery}/{id}/password", new { resetToken, newPassword = NewPassword() });
        (await ValidationErrorsAsync(again)).TryGetProperty("resetToken", out _).ShouldBeTrue();
        (await CheckPasswordAsync(person.UserId, newPassword)).ShouldBeTrue();
    }

    [Fact]
    public async Task Recovery_does_not_lift_an_operators_lock()
    {
        var person = await ProvisionedPersonAsync();
        var lockedUntil = DateTimeOffset.UtcNow.AddDays(30);
        await Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == person.UserId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockoutEnd, lockedUntil)
            .SetProperty(u => u.ConsecutiveLockouts, 0)));
        using var http = Fixture.CreateClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var id = await StartAsync(http, person.Phone);
        var code = await Mailbox.WaitForCodeAsync(person.Phone, since, MailTimeout);
        var secondFactorCode = await Mailbox.WaitForCodeAsync(person.Email, since, MailTimeout);
        var verified = await JsonAsync(await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code, secondFactorCode }), HttpStatusCode.OK);
        var resetToken = verified.GetProperty("resetToken").GetString().ShouldNotBeNull();
        var newPassword = NewPassword();
        using (var set = await http.PostAsJsonAsync($"{Recovery}/{id}/password", new { resetToken, newPassword }))
            set.StatusCode.ShouldBe(HttpStatusCode.NoContent, await set.Content.ReadAsStringAsync());

        // The password changed, the operator's lock did not.
        (await CheckPasswordAsync(person.UserId, newPassword)).ShouldBeTrue();
        var user = await UserAsync(person.UserId);
        user.LockoutEnd.ShouldNotBeNull().ShouldBe(lockedUntil, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task With_an_authenticator_app_the_second_factor_is_its_code_and_a_replay_is_refused()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        var secret = TotpCodes.NewSecret();
        await Fixture.WithScopeAsync(async sp =>
        {
            var protectedSecret = sp.GetRequiredService<TotpSecrets>().Protect(secret);
            return await sp.GetRequiredService<IdentityDb>().Users.Where(u => u.Id == patient.UserId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.TotpSecret, protectedSecret)
                .SetProperty(u => u.TotpEnabledAt, DateTimeOffset.UtcNow));
        });
        var user = await UserAsync(patient.UserId);
        using var http = Fixture.CreateClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var id = await StartAsync(http, patient.Snils);
        var code = await Mailbox.WaitForCodeAsync(user.PhoneNumber!, since, MailTimeout);
        Mailbox.To(user.Email!, since).ShouldBeEmpty("the authenticator app is the second factor, not the e-mail");
        var totp = Authenticator.CodeAt(secret, DateTimeOffset.UtcNow);

        var verified = await JsonAsync(await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code, secondFactorCode = totp }), HttpStatusCode.OK);
        verified.GetProperty("resetToken").GetString().ShouldNotBeNullOrEmpty();

        // The same TOTP code in a second recovery is a replay: refused and recorded. (Its SMS is still within the resend
        // pause and was not sent; the authenticator app's code is checked on its own all the same.)
        var second = await StartAsync(http, user.PhoneNumber!);
        using var replay = await http.PostAsJsonAsync($"{Recovery}/{second}/verification", new { code, secondFactorCode = totp });
        (await ValidationErrorsAsync(replay)).TryGetProperty("secondFactorCode", out _).ShouldBeTrue();
        (await SecurityEventsAsync(patient.UserId, SecurityEventKinds.TotpReplayRejected)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_unknown_login_gets_the_same_answer_and_nothing_is_sent()
    {
        using var http = Fixture.CreateClient();
        var phone = NewPhone();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var response = await http.PostAsJsonAsync(Recovery, new { login = phone });
        var started = await JsonAsync(response, HttpStatusCode.Accepted);
        started.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["expiresAt", "recoveryId"]);
        var id = started.GetProperty("recoveryId").GetGuid();

        await Task.Delay(300);
        Mailbox.To(phone, since).ShouldBeEmpty();
        using var verification = await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code = "123456", secondFactorCode = "123456" });
        await ValidationErrorsAsync(verification);
    }

    [Fact]
    public async Task Another_persons_recovery_cannot_be_completed_with_your_codes()
    {
        var victim = await ProvisionedPersonAsync();
        var attacker = await ProvisionedPersonAsync();
        using var http = Fixture.CreateClient();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        var victimRecovery = await StartAsync(http, victim.Email);
        var ownRecovery = await StartAsync(http, attacker.Phone);
        var code = await Mailbox.WaitForCodeAsync(attacker.Phone, since, MailTimeout);
        var secondFactorCode = await Mailbox.WaitForCodeAsync(attacker.Email, since, MailTimeout);

        using var foreign = await http.PostAsJsonAsync($"{Recovery}/{victimRecovery}/verification", new { code, secondFactorCode });
        var errors = await ValidationErrorsAsync(foreign);
        errors.TryGetProperty("code", out _).ShouldBeTrue();
        errors.TryGetProperty("secondFactorCode", out _).ShouldBeTrue();

        // A reset token of one recovery does not set the password in another.
        var own = await JsonAsync(await http.PostAsJsonAsync($"{Recovery}/{ownRecovery}/verification", new { code, secondFactorCode }), HttpStatusCode.OK);
        using var crossed = await http.PostAsJsonAsync($"{Recovery}/{victimRecovery}/password",
            new { resetToken = own.GetProperty("resetToken").GetString(), newPassword = NewPassword() });
        (await ValidationErrorsAsync(crossed)).TryGetProperty("resetToken", out _).ShouldBeTrue();
        (await CheckPasswordAsync(victim.UserId, victim.Password)).ShouldBeTrue();
    }

    [Fact]
    public async Task Five_wrong_entries_burn_the_recovery()
    {
        var person = await RegisterAsync();
        using var http = Fixture.CreateClient();
        var id = await StartAsync(http, person.Phone);
        for (var i = 0; i < 5; i++)
            await ValidationErrorsAsync(await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code = "000000", secondFactorCode = "000000" }));
        await ShouldBeProblemAsync(await http.PostAsJsonAsync($"{Recovery}/{id}/verification", new { code = "000000", secondFactorCode = "000000" }),
            HttpStatusCode.NotFound);
    }

    /// <summary>A patient made by the demo seeder (confirmed phone and e-mail, no codes sent yet), as the person knows themselves.</summary>
    private async Task<RegisteredPerson> ProvisionedPersonAsync()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        var user = await UserAsync(patient.UserId);
        return new RegisteredPerson(patient.UserId, user.PhoneNumber!, user.Email!, patient.Password);
    }

    private static async Task<Guid> StartAsync(HttpClient http, string login)
    {
        using var response = await http.PostAsJsonAsync(Recovery, new { login });
        var started = await JsonAsync(response, HttpStatusCode.Accepted);
        return started.GetProperty("recoveryId").GetGuid();
    }

    /// <summary>Locked out after repeated failures, the way sign-in leaves an account.</summary>
    private Task LockOutAsync(Guid userId) =>
        Fixture.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1))
            .SetProperty(u => u.AccessFailedCount, 2)
            .SetProperty(u => u.ConsecutiveLockouts, 3)));

    private Task<bool> CheckPasswordAsync(Guid userId, string password) =>
        Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.CheckPasswordAsync((await users.FindByIdAsync(userId.ToString()))!, password);
        });
}
