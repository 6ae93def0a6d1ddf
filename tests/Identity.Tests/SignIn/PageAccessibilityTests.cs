using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Gosuslugi.Health.Identity.Tests.SignIn;

/// <summary>
/// What a screen reader and a keyboard need from the sign-in pages, read from the pages as a browser parses them: a label
/// for every field, the focus where the person has to act, and an error that is announced and tied to its field.
/// </summary>
public sealed class PageAccessibilityTests(SignInFixture fixture) : SignInTest(fixture)
{
    [Fact]
    public async Task The_login_page_labels_every_field_and_starts_on_the_login()
    {
        var browser = Fixture.NewBrowser();
        using var answer = await browser.Driver.GetAuthorizeAsync(browser.Driver.AuthorizeParameters(OAuthDriver.NewVerifier()));
        var page = await PageAsync(answer, HttpStatusCode.OK);

        page.DocumentElement.GetAttribute("lang").ShouldBe("ru");
        page.Title.ShouldBe("Вход — Моё здоровье");
        EveryFieldHasItsLabel(page);
        FocusStartsOn(page, "username");
        page.QuerySelectorAll("[aria-invalid]").ShouldBeEmpty();
        page.QuerySelectorAll("[role=alert]").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refused_password_is_announced_and_tied_to_the_password_field_which_gets_the_focus()
    {
        var person = await Fixture.NewPatientAsync();
        using var answer = await PasswordAsync(NewAttempt(), person, password: "not-the-password");
        var page = await PageAsync(answer, HttpStatusCode.OK);

        var error = page.QuerySelectorAll("[role=alert]").ShouldHaveSingleItem();
        error.TextContent.ShouldStartWith("Неверный логин или пароль");
        var password = page.GetElementById("password").ShouldNotBeNull();
        password.GetAttribute("aria-invalid").ShouldBe("true");
        password.GetAttribute("aria-describedby").ShouldBe(error.Id.ShouldNotBeNull());
        // The login was kept, so only the password is to be typed again.
        page.GetElementById("username").ShouldNotBeNull().GetAttribute("value").ShouldBe(person.Username);
        FocusStartsOn(page, "password");
        EveryFieldHasItsLabel(page);
    }

    [Fact]
    public async Task A_wrong_code_is_announced_and_tied_to_the_code_field_and_the_device_box_has_its_label()
    {
        var person = await Fixture.NewPatientAsync();
        Clock.MoveToStartOfTotpStep();
        var attempt = NewAttempt();
        using var answer = await PasswordAsync(attempt, person);
        var form = await SecondFactorFormAsync(answer, "totp");
        var first = await PageAsync(answer, HttpStatusCode.OK);
        EveryFieldHasItsLabel(first);
        FocusStartsOn(first, "code");
        first.QuerySelectorAll("[aria-invalid]").ShouldBeEmpty();

        var wrongCode = Enumerable.Range(-1, 3).Any(drift => TotpCode(person, drift) == "000000") ? "111111" : "000000";
        using var refused = await VerifyAsync(attempt, form, wrongCode);
        var page = await PageAsync(refused, HttpStatusCode.OK);

        var error = page.QuerySelectorAll("[role=alert]").ShouldHaveSingleItem();
        error.TextContent.ShouldStartWith("Неверный код");
        var code = page.GetElementById("code").ShouldNotBeNull();
        code.GetAttribute("aria-invalid").ShouldBe("true");
        code.GetAttribute("aria-describedby").ShouldBe(error.Id.ShouldNotBeNull());
        FocusStartsOn(page, "code");
        EveryFieldHasItsLabel(page);
        page.QuerySelector("label[for=remember-device]").ShouldNotBeNull().TextContent.Trim().ShouldBe("Запомнить это устройство на 30 дней");
        // Everything but passkeys works without a script, and these pages have none.
        page.QuerySelectorAll("script").ShouldBeEmpty();
    }

    [Fact]
    public async Task What_a_person_typed_comes_back_as_text_and_never_as_markup()
    {
        const string login = "\"><script>alert(1)</script><b>жирный";
        var attempt = NewAttempt();
        using var answer = await attempt.Browser.Driver.LoginAsync(attempt.Parameters, login, "not-the-password");
        var page = await PageAsync(answer, HttpStatusCode.OK);

        page.GetElementById("username").ShouldNotBeNull().GetAttribute("value").ShouldBe(login);
        page.QuerySelectorAll("script, b").ShouldBeEmpty();
    }

    private static async Task<IDocument> PageAsync(HttpResponseMessage answer, HttpStatusCode status)
    {
        var html = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(status, html);
        return new HtmlParser().ParseDocument(html);
    }

    /// <summary>Every field a person fills in or ticks has an id and exactly one &lt;label for&gt; naming it.</summary>
    private static void EveryFieldHasItsLabel(IDocument page)
    {
        var fields = page.QuerySelectorAll("input:not([type=hidden]), select, textarea");
        fields.ShouldNotBeEmpty();
        foreach (var field in fields)
        {
            var id = field.Id;
            id.ShouldNotBeNullOrEmpty($"{field.OuterHtml} has no id for a label");
            var label = page.QuerySelectorAll($"label[for='{id}']").ShouldHaveSingleItem($"{id} needs one label");
            label.TextContent.Trim().ShouldNotBeEmpty();
        }
    }

    /// <summary>One element takes the focus when the page opens, and the order of the rest is the page's own (no tabindex above 0).</summary>
    private static void FocusStartsOn(IDocument page, string id)
    {
        page.QuerySelectorAll("[autofocus]").ShouldHaveSingleItem().Id.ShouldBe(id);
        page.QuerySelectorAll("[tabindex]").Where(e => int.TryParse(e.GetAttribute("tabindex"), out var index) && index > 0).ShouldBeEmpty();
    }
}
