using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Tests.Passkeys;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

public sealed class ContactsAndPasswordTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    private const string Phone = "/api/v1/account/contacts/phone";
    private const string Email = "/api/v1/account/contacts/email";
    private const string Password = "/api/v1/account/password";

    [Fact]
    public async Task Changes_need_a_fresh_sign_in_with_a_second_factor()
    {
        var person = await RegisterAsync();
        using var passwordOnly = await ClientAsync(person.UserId, SignedInPerson.PasswordOnly);
        using var stale = await ClientAsync(person.UserId, authTime: DateTimeOffset.UtcNow.AddMinutes(-11));

        foreach (var http in new[] { passwordOnly, stale })
        {
            var problem = await ShouldBeProblemAsync(await http.PutAsJsonAsync(Phone, new { phone = NewPhone() }), HttpStatusCode.Forbidden);
            problem.GetProperty("reason").GetString().ShouldBe("reauthentication_required");
            problem.GetProperty("detail").GetString().ShouldBe("Войдите заново с подтверждением второго фактора");
            await ShouldBeProblemAsync(await http.PutAsJsonAsync(Email, new { email = NewEmail() }), HttpStatusCode.Forbidden);
            await ShouldBeProblemAsync(await http.PostAsJsonAsync(Password, new { currentPassword = person.Password, newPassword = NewPassword() }),
                HttpStatusCode.Forbidden);
        }
        (await UserAsync(person.UserId)).PhoneNumber.ShouldBe(person.Phone);
    }

    [Fact]
    public async Task The_phone_changes_with_a_code_to_the_new_number_and_the_old_one_is_told()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var newPhone = NewPhone();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        using (var started = await http.PutAsJsonAsync(Phone, new { phone = "+7 " + newPhone[2..5] + " " + newPhone[5..] }))
            await JsonAsync(started, HttpStatusCode.Accepted);
        var code = await Mailbox.WaitForCodeAsync(newPhone, since, MailTimeout);

        using (var wrong = await http.PostAsJsonAsync(Phone + "/confirmation", new { code = code == "000000" ? "111111" : "000000" }))
            (await ValidationErrorsAsync(wrong)).TryGetProperty("code", out _).ShouldBeTrue();
        (await UserAsync(person.UserId)).PhoneNumber.ShouldBe(person.Phone);

        using (var confirmed = await http.PostAsJsonAsync(Phone + "/confirmation", new { code }))
            confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await confirmed.Content.ReadAsStringAsync());

        var user = await UserAsync(person.UserId);
        (user.PhoneNumber, user.PhoneNumberConfirmed, user.UserName).ShouldBe((newPhone, true, newPhone), "the login follows the phone number");
        (await Mailbox.WaitForMessageAsync(person.Phone, since, MailTimeout, m => m.Text.Contains("изменён"))).Text.ShouldNotContain(newPhone);
        (await SecurityEventsAsync(person.UserId, SecurityEventKinds.ContactChanged)).ShouldContain(e => e.Outcome == "success" && e.Details["channel"] == "sms");

        // The code is used up.
        using var reused = await http.PostAsJsonAsync(Phone + "/confirmation", new { code });
        await ShouldBeProblemAsync(reused, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_e_mail_changes_with_a_code_to_the_new_address()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var newEmail = NewEmail();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        await JsonAsync(await http.PutAsJsonAsync(Email, new { email = newEmail }), HttpStatusCode.Accepted);
        var code = await Mailbox.WaitForCodeAsync(newEmail, since, MailTimeout);
        (await http.PostAsJsonAsync(Email + "/confirmation", new { code })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var user = await UserAsync(person.UserId);
        (user.Email, user.EmailConfirmed).ShouldBe((newEmail, true));
        (await Mailbox.WaitForMessageAsync(person.Email, since, MailTimeout)).Text.ShouldContain("изменён");
    }

    [Fact]
    public async Task A_phone_of_another_account_is_never_revealed_and_cannot_be_taken()
    {
        var person = await RegisterAsync();
        var owner = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        await JsonAsync(await http.PutAsJsonAsync(Phone, new { phone = owner.Phone }), HttpStatusCode.Accepted);
        var notice = await Mailbox.WaitForMessageAsync(owner.Phone, since, MailTimeout);
        notice.Text.ShouldContain("другой учётной записи");
        notice.Text.ShouldNotMatch(@"(?<!\d)\d{6}(?!\d)");

        await ValidationErrorsAsync(await http.PostAsJsonAsync(Phone + "/confirmation", new { code = "123456" }));
        (await UserAsync(person.UserId)).PhoneNumber.ShouldBe(person.Phone);
    }

    [Fact]
    public async Task The_password_changes_with_the_current_one_and_other_sessions_end()
    {
        var patient = (await Fixture.CreateAccountsAsync()).Patient;
        var otherDevice = await NewBrowser().SignInAndRedeemAsync(patient.Username, patient.Password);
        using var http = await ClientAsync(patient.UserId);
        var newPassword = NewPassword();

        using (var wrong = await http.PostAsJsonAsync(Password, new { currentPassword = "не-тот-пароль", newPassword }))
            (await ValidationErrorsAsync(wrong)).TryGetProperty("currentPassword", out _).ShouldBeTrue();
        using (var weak = await http.PostAsJsonAsync(Password, new { currentPassword = patient.Password, newPassword = "password" }))
            (await ValidationErrorsAsync(weak)).TryGetProperty("newPassword", out _).ShouldBeTrue();
        (await CheckPasswordAsync(patient.UserId, patient.Password)).ShouldBeTrue("a refused change changes nothing");

        using (var changed = await http.PostAsJsonAsync(Password, new { currentPassword = patient.Password, newPassword }))
            changed.StatusCode.ShouldBe(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        (await CheckPasswordAsync(patient.UserId, newPassword)).ShouldBeTrue();
        (await CheckPasswordAsync(patient.UserId, patient.Password)).ShouldBeFalse();
        (await SecurityEventsAsync(patient.UserId, SecurityEventKinds.PasswordChanged)).Select(e => e.Outcome).ShouldContain("success");

        if (otherDevice.RefreshToken is { } refresh)
            await (await NewBrowser().RefreshAsync(refresh)).ShouldBeOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_grant");
    }

    private Task<bool> CheckPasswordAsync(Guid userId, string password) =>
        Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            return await users.CheckPasswordAsync((await users.FindByIdAsync(userId.ToString()))!, password);
        });
}
