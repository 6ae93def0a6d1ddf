using System.Net;
using System.Net.Http.Json;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gosuslugi.Health.Identity.Tests.Accounts;

public sealed class RegistrationTests(IdentityServiceFixture fixture) : AccountTest(fixture)
{
    [Fact]
    public async Task A_person_registers_with_both_codes_and_gets_a_simplified_patient_account_with_consent()
    {
        using var http = Fixture.CreateClient();
        var (phone, email, password) = (NewPhone(), NewEmail(), NewPassword());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var started = await http.PostAsJsonAsync(Registrations, RegistrationBody("8 (" + phone[2..5] + ") " + phone[5..], email.ToUpperInvariant(), password));
        var registration = await JsonAsync(started, HttpStatusCode.Accepted);
        var id = registration.GetProperty("registrationId").GetGuid();
        registration.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(25));

        // Kept in Redis until confirmed: with the password hashed, never in plain text.
        var pending = await Fixture.WithScopeAsync(sp => sp.GetRequiredService<IKeyValueStore>().GetAsync($"account:registration:{id:D}"));
        pending.ShouldNotBeNull().ShouldNotContain(password);
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.PhoneNumber == phone))).ShouldBeFalse("no account before the codes");

        // The numbers are normalized: the codes went to +7XXXXXXXXXX and the lower-case address.
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);
        using var confirmed = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode });
        var account = await JsonAsync(confirmed, HttpStatusCode.Created);
        account.GetProperty("level").GetString().ShouldBe("simplified");
        var userId = account.GetProperty("userId").GetGuid();

        var user = await UserAsync(userId);
        user.UserName.ShouldBe(phone);
        user.PhoneNumber.ShouldBe(phone);
        user.PhoneNumberConfirmed.ShouldBeTrue();
        user.Email.ShouldBe(email);
        user.EmailConfirmed.ShouldBeTrue();
        user.Level.ShouldBe(AccountLevel.Simplified);
        user.FamilyName.ShouldBe("Иванова");
        user.BirthDate.ShouldBe(new DateOnly(1990, 5, 17));
        user.PasswordHash.ShouldNotBeNull().ShouldNotContain(password);
        (await Fixture.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<HealthUser>>();
            var fresh = (await users.FindByIdAsync(userId.ToString()))!;
            return (await users.CheckPasswordAsync(fresh, password), await users.IsInRoleAsync(fresh, HealthRoles.Patient));
        })).ShouldBe((true, true));

        var consent = await Fixture.WithDbAsync(db => db.PersonalDataConsents.SingleAsync(c => c.UserId == userId));
        consent.Version.ShouldBe(ConsentVersion);
        consent.WithdrawnAt.ShouldBeNull();

        (await SecurityEventsAsync(userId, SecurityEventKinds.AccountRegistered)).ShouldHaveSingleItem();
        (await SecurityEventsAsync(userId, SecurityEventKinds.ConsentGiven)).ShouldHaveSingleItem();
        (await OutboxAsync<PersonalDataConsentChanged>(e => e.PatientId == userId)).ShouldHaveSingleItem().Given.ShouldBeTrue();
        (await Fixture.WithScopeAsync(sp => sp.GetRequiredService<IKeyValueStore>().GetAsync($"account:registration:{id:D}"))).ShouldBeNull();

        // The same codes again: the registration is used up, and there is still one account.
        using var again = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode });
        await ShouldBeProblemAsync(again, HttpStatusCode.NotFound);
        (await Fixture.WithDbAsync(db => db.Users.CountAsync(u => u.PhoneNumber == phone))).ShouldBe(1);
    }

    [Fact]
    public async Task The_profile_of_a_new_account_shows_the_simplified_level_and_what_to_do_next()
    {
        var person = await RegisterAsync();
        using var http = await ClientAsync(person.UserId);
        var profile = await JsonAsync(await http.GetAsync(Profile), HttpStatusCode.OK);
        profile.GetProperty("level").GetString().ShouldBe("simplified");
        profile.GetProperty("phone").GetString().ShouldBe(person.Phone);
        profile.GetProperty("email").GetString().ShouldBe(person.Email);
        profile.GetProperty("nextStep").GetString().ShouldNotBeNull().ShouldContain("СНИЛС");
        profile.GetProperty("consent").GetProperty("version").GetString().ShouldBe(ConsentVersion);
        profile.GetProperty("consent").GetProperty("inForce").GetBoolean().ShouldBeTrue();
        profile.GetProperty("consent").GetProperty("text").GetString().ShouldNotBeNull().ShouldContain("152-ФЗ");
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_creates_nothing_and_the_right_one_then_still_works()
    {
        using var http = Fixture.CreateClient();
        var (phone, email, password) = (NewPhone(), NewEmail(), NewPassword());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await StartRegistrationAsync(http, phone, email, password);
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);
        var wrong = smsCode == "000000" ? "111111" : "000000";

        using var refused = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode = wrong, emailCode = wrong });
        var errors = await ValidationErrorsAsync(refused);
        errors.TryGetProperty("smsCode", out _).ShouldBeTrue();
        errors.TryGetProperty("emailCode", out _).ShouldBeTrue();
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.PhoneNumber == phone))).ShouldBeFalse();

        using var accepted = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode });
        await JsonAsync(accepted, HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_expired_code_is_refused_and_creates_nothing()
    {
        using var http = Fixture.CreateClient();
        var (phone, email, password) = (NewPhone(), NewEmail(), NewPassword());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await StartRegistrationAsync(http, phone, email, password);
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);

        // Five minutes pass for the codes of this registration.
        await Fixture.WithDbAsync(db => db.OneTimeCodes.Where(c => c.FlowId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));

        using var refused = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode });
        var errors = await ValidationErrorsAsync(refused);
        errors.GetProperty("smsCode")[0].GetString().ShouldNotBeNull().ShouldContain("истёк");
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.PhoneNumber == phone))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_code_accepted_once_cannot_confirm_again_in_another_registration()
    {
        using var http = Fixture.CreateClient();
        var (phone, email, password) = (NewPhone(), NewEmail(), NewPassword());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = await StartRegistrationAsync(http, phone, email, password);
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);

        // The SMS code is accepted (and used up) while the e-mail code is still missing.
        using var partial = await http.PostAsJsonAsync($"{Registrations}/{first}/confirmation", new { smsCode, emailCode = "" });
        var errors = await ValidationErrorsAsync(partial);
        errors.TryGetProperty("smsCode", out _).ShouldBeFalse();
        errors.TryGetProperty("emailCode", out _).ShouldBeTrue();

        // Codes belong to their registration: another one (another person's, or a second try) cannot use them.
        var (otherPhone, otherEmail) = (NewPhone(), NewEmail());
        var otherSince = DateTimeOffset.UtcNow.AddSeconds(-1);
        var second = await StartRegistrationAsync(http, otherPhone, otherEmail, NewPassword());
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);
        using var foreign = await http.PostAsJsonAsync($"{Registrations}/{second}/confirmation", new { smsCode, emailCode });
        var foreignErrors = await ValidationErrorsAsync(foreign);
        foreignErrors.TryGetProperty("smsCode", out _).ShouldBeTrue();
        foreignErrors.TryGetProperty("emailCode", out _).ShouldBeTrue();
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.PhoneNumber == otherPhone))).ShouldBeFalse();

        // ... and the other person's registration still completes with its own codes.
        var otherSms = await Mailbox.WaitForCodeAsync(otherPhone, otherSince, MailTimeout);
        var otherEmailCode = await Mailbox.WaitForCodeAsync(otherEmail, otherSince, MailTimeout);
        using var own = await http.PostAsJsonAsync($"{Registrations}/{second}/confirmation", new { smsCode = otherSms, emailCode = otherEmailCode });
        await JsonAsync(own, HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("password")]
    [InlineData("qwerty123")]
    [InlineData("short")]
    public async Task A_weak_or_common_password_is_a_problem_and_nothing_is_sent(string password)
    {
        using var http = Fixture.CreateClient();
        var (phone, email) = (NewPhone(), NewEmail());
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var response = await http.PostAsJsonAsync(Registrations, RegistrationBody(phone, email, password));
        var errors = await ValidationErrorsAsync(response);
        errors.TryGetProperty("password", out _).ShouldBeTrue();
        Mailbox.To(phone, since).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_password_equal_to_the_phone_number_is_refused()
    {
        using var http = Fixture.CreateClient();
        var phone = NewPhone();
        using var response = await http.PostAsJsonAsync(Registrations, RegistrationBody(phone, NewEmail(), phone));
        (await ValidationErrorsAsync(response)).TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Bad_fields_are_a_problem_with_every_field_named()
    {
        using var http = Fixture.CreateClient();
        using var response = await http.PostAsJsonAsync(Registrations, new
        {
            familyName = "",
            givenName = "Мария1",
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-10).ToString("yyyy-MM-dd"),
            phone = "+1 555 123 4567",
            email = "not-an-address",
            password = NewPassword(),
            personalDataConsent = false,
            consentVersion = ConsentVersion,
        });
        var errors = await ValidationErrorsAsync(response);
        foreach (var field in new[] { "familyName", "givenName", "birthDate", "phone", "email", "personalDataConsent" })
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
    }

    [Fact]
    public async Task A_phone_that_has_an_account_gets_the_same_answer_a_notice_instead_of_a_code_and_no_second_account()
    {
        var existing = await RegisterAsync();
        using var http = Fixture.CreateClient();
        var email = NewEmail();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await http.PostAsJsonAsync(Registrations, RegistrationBody(existing.Phone, email, NewPassword()));
        var started = await JsonAsync(response, HttpStatusCode.Accepted);
        started.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["expiresAt", "registrationId"]);
        var id = started.GetProperty("registrationId").GetGuid();

        var notice = await Mailbox.WaitForMessageAsync(existing.Phone, since, MailTimeout);
        notice.Text.ShouldContain("уже есть учётная запись");
        notice.Text.ShouldNotMatch(@"(?<!\d)\d{6}(?!\d)");
        var emailCode = await Mailbox.WaitForCodeAsync(email, since, MailTimeout);

        // Whatever is typed as the SMS code, this registration cannot finish.
        using var refused = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode = "123456", emailCode });
        (await ValidationErrorsAsync(refused)).TryGetProperty("smsCode", out _).ShouldBeTrue();
        (await Fixture.WithDbAsync(db => db.Users.CountAsync(u => u.PhoneNumber == existing.Phone))).ShouldBe(1);
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant()))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_e_mail_that_has_an_account_gets_a_notice_and_the_registration_cannot_finish()
    {
        var existing = await RegisterAsync();
        using var http = Fixture.CreateClient();
        var phone = NewPhone();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await StartRegistrationAsync(http, phone, existing.Email, NewPassword());

        (await Mailbox.WaitForMessageAsync(existing.Email, since, MailTimeout)).Text.ShouldContain("уже есть учётная запись");
        var smsCode = await Mailbox.WaitForCodeAsync(phone, since, MailTimeout);
        using var refused = await http.PostAsJsonAsync($"{Registrations}/{id}/confirmation", new { smsCode, emailCode = "123456" });
        (await ValidationErrorsAsync(refused)).TryGetProperty("emailCode", out _).ShouldBeTrue();
        (await Fixture.WithDbAsync(db => db.Users.AnyAsync(u => u.PhoneNumber == phone))).ShouldBeFalse();
    }

    [Fact]
    public async Task Asking_for_another_code_at_once_is_throttled_with_retry_after()
    {
        using var http = Fixture.CreateClient();
        var id = await StartRegistrationAsync(http, NewPhone(), NewEmail(), NewPassword());

        using var response = await http.PostAsJsonAsync($"{Registrations}/{id}/codes", new { channel = "sms" });
        await ShouldBeProblemAsync(response, HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, 60);

        using var unknown = await http.PostAsJsonAsync($"{Registrations}/{Guid.CreateVersion7()}/codes", new { channel = "sms" });
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);
    }
}
