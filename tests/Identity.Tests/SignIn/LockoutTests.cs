using System.Net;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.TestInfrastructure.Oidc;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

public sealed class LockoutTests(SignInFixture fixture) : SignInTest(fixture)
{
    [Fact]
    public async Task The_third_failure_locks_the_account_says_until_when_and_tells_the_person()
    {
        var person = await Fixture.NewPatientAsync();
        var browser = Fixture.NewBrowser();
        var before = Clock.GetUtcNow();

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var failed = await PasswordAsync(NewAttempt(browser), person, "wrong-password-" + attempt);
            (await ErrorTextAsync(failed)).ShouldStartWith("Неверный логин или пароль");
        }
        using var third = await PasswordAsync(NewAttempt(browser), person, "wrong-password-3");
        third.StatusCode.ShouldBe(HttpStatusCode.OK);

        var user = await UserAsync(person.UserId);
        var until = user.LockoutEnd.ShouldNotBeNull();
        (until - Clock.GetUtcNow()).ShouldBe(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));
        user.ConsecutiveLockouts.ShouldBe(1);
        var error = await ErrorTextAsync(third);
        error.ShouldContain($"заблокирован до {MoscowClock(until)}");
        error.ShouldContain("(МСК)");
        error.ShouldContain("восстановите пароль");

        // Told on their phone: how many attempts, until when, and what to do if it was not them.
        var message = await Fixture.Mailbox.WaitForMessageAsync(person.Phone!, before, TimeSpan.FromSeconds(10), m => m.Text.Contains("заблокирован"));
        message.Channel.ShouldBe("sms");
        message.Text.ShouldContain("3 неудачные попытки");
        message.Text.ShouldContain($"до {MoscowClock(until)}");
        message.Text.ShouldContain("Если это были не вы — восстановите пароль");

        var failures = await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.SignInFailed);
        failures.Select(e => e.Details["attempt"]).ShouldBe(["1", "2", "3"]);
        failures.ShouldAllBe(e => e.Details["reason"] == "wrong_password" && !e.Details.Values.Any(v => v.Contains("wrong-password")));
        var lockedOut = (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.LockedOut)).ShouldHaveSingleItem();
        lockedOut.Details["minutes"].ShouldBe("5");

        // Even the right password gets the lockout page now, without a second-factor step.
        using var locked = await PasswordAsync(NewAttempt(browser), person);
        (await ErrorTextAsync(locked)).ShouldContain($"заблокирован до {MoscowClock(until)}");
        SignInForm.Parse(await locked.Content.ReadAsStringAsync()).IsSecondFactor.ShouldBeFalse();
    }

    [Fact]
    public async Task The_second_lockout_lasts_ten_minutes_and_a_sign_in_starts_over()
    {
        var person = await Fixture.NewPatientAsync();
        var browser = Fixture.NewBrowser();
        async Task FailThreeTimesAsync()
        {
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                using var failed = await PasswordAsync(NewAttempt(browser), person, "wrong-" + attempt);
                failed.StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        await FailThreeTimesAsync();
        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await FailThreeTimesAsync();

        var user = await UserAsync(person.UserId);
        user.ConsecutiveLockouts.ShouldBe(2);
        var until = user.LockoutEnd.ShouldNotBeNull();
        (until - Clock.GetUtcNow()).ShouldBe(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(10));
        (await Fixture.SecurityEventsAsync(person.UserId, SecurityEventKinds.LockedOut)).Select(e => e.Details["minutes"]).ShouldBe(["5", "10"]);

        // Still locked after 9 minutes; after 10 the person signs in, and the growth starts over.
        Clock.Advance(TimeSpan.FromMinutes(9));
        using (var stillLocked = await PasswordAsync(NewAttempt(browser), person))
        {
            (await ErrorTextAsync(stillLocked)).ShouldContain("заблокирован");
        }
        // Past the end by more than the step alignment below may move the clock back.
        Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(31));
        Clock.MoveToStartOfTotpStep();
        await SignInWithTotpAsync(person, NewAttempt(browser));
        user = await UserAsync(person.UserId);
        (user.ConsecutiveLockouts, user.AccessFailedCount, user.LockoutEnd).ShouldBe((0, 0, null));
    }

    [Fact]
    public async Task Wrong_second_factors_count_towards_the_lockout_with_wrong_passwords()
    {
        var person = await Fixture.NewPatientAsync();
        var browser = Fixture.NewBrowser();
        using (var wrongPassword = await PasswordAsync(NewAttempt(browser), person, "not-the-password"))
        {
            (await ErrorTextAsync(wrongPassword)).ShouldStartWith("Неверный логин или пароль");
        }

        var attempt = NewAttempt(browser);
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "totp");
        var wrongCode = TotpCode(person) == "123456" ? "654321" : "123456";
        using var second = await VerifyAsync(attempt, form, wrongCode);
        (await ErrorTextAsync(second)).ShouldContain("Осталось попыток до временной блокировки: 1");
        using var third = await VerifyAsync(attempt, SignInForm.Parse(await second.Content.ReadAsStringAsync()), wrongCode);

        (await ErrorTextAsync(third)).ShouldContain("заблокирован до");
        var form3 = SignInForm.Parse(await third.Content.ReadAsStringAsync());
        form3.IsSecondFactor.ShouldBeFalse("a lockout ends the half-done sign-in");
        form3.Fields.Keys.ShouldContain("password");
        (await UserAsync(person.UserId)).LockoutEnd.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unknown_login_gets_the_same_answers_as_a_wrong_password_lockout_included()
    {
        var browser = Fixture.NewBrowser();
        var nobody = new Seeding.DemoUser("nobody-" + Guid.NewGuid().ToString("N")[..10], "Какой-то-пароль-1");
        string? lastError = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var failed = await PasswordAsync(NewAttempt(browser), nobody);
            failed.StatusCode.ShouldBe(HttpStatusCode.OK);
            lastError = await ErrorTextAsync(failed);
            if (attempt < 3) lastError.ShouldStartWith("Неверный логин или пароль");
        }
        lastError.ShouldNotBeNull().ShouldContain("заблокирован до");
        lastError.ShouldContain("(МСК)");
    }

    [Fact]
    public async Task Too_many_failures_from_one_address_get_429_there_while_another_address_still_signs_in()
    {
        var person = await Fixture.NewPatientAsync();
        var guesser = Fixture.NewBrowser("192.0.2.77");
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var stranger = new Seeding.DemoUser($"guess-{attempt}-" + Guid.NewGuid().ToString("N")[..8], "Подбор-пароля-" + attempt);
            using var failed = await PasswordAsync(NewAttempt(guesser), stranger);
            failed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The eleventh try is refused before any password is looked at: the account is not touched.
        using var throttled = await PasswordAsync(NewAttempt(guesser), person, "one-more-guess");
        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter.ShouldNotBeNull();
        (await ErrorTextAsync(throttled)).ShouldContain("слишком много неудачных попыток");
        using (var evenRight = await PasswordAsync(NewAttempt(guesser), person))
        {
            evenRight.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        }
        (await UserAsync(person.UserId)).AccessFailedCount.ShouldBe(0);
        var throttledEvent = (await Fixture.SecurityEventsAsync(null, SecurityEventKinds.ThrottledByAddress))
            .Where(e => e.IpAddress == "192.0.2.77").ShouldHaveSingleItem();
        throttledEvent.Outcome.ShouldBe("failure");

        Clock.MoveToStartOfTotpStep();
        var tokens = await SignInWithTotpAsync(person, NewAttempt(Fixture.NewBrowser("192.0.2.78")));
        tokens.Access.Subject.ShouldBe(person.UserId.ToString());
    }
}
