using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

using Gosuslugi.Health.Identity.SignIn;

namespace Gosuslugi.Health.Identity.Sessions;

/// <summary>The pages of the end-session endpoint. Russian: a person reads them.</summary>
internal static class SignOutPages
{
    public const string ConfirmField = "confirm";
    public const string ConfirmValue = "yes";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Asked when an application sends the person here without an ID token: a link on another site must not be able to
    /// sign anyone out by itself (OpenID Connect RP-Initiated Logout §2 asks the OP to confirm then).
    /// </summary>
    public static ContentHttpResult Confirm(HttpContext context, AntiforgeryTokenSet antiforgery, IEnumerable<KeyValuePair<string, string>> fields,
        int statusCode = StatusCodes.Status200OK)
    {
        var body = new StringBuilder("""
            <h1>Выйти из сервиса?</h1>
            <p class="hint">Вы выйдете из сервиса «Моё здоровье» на этом устройстве.</p>
            <form method="post" action="/connect/endsession">
            """);
        body.Append($"""<input type="hidden" name="{Html.Encode(antiforgery.FormFieldName)}" value="{Html.Encode(antiforgery.RequestToken ?? "")}">""");
        body.Append($"""<input type="hidden" name="{ConfirmField}" value="{ConfirmValue}">""");
        foreach (var (name, value) in fields)
            body.Append($"""<input type="hidden" name="{Html.Encode(name)}" value="{Html.Encode(value)}">""");
        body.Append("""
            <button type="submit">Выйти</button>
            </form>
            """);
        return Page(context, "Выход — Моё здоровье", body.ToString(), statusCode);
    }

    public static ContentHttpResult SignedOut(HttpContext context) =>
        Page(context, "Вы вышли — Моё здоровье", """
            <h1>Вы вышли</h1>
            <p class="hint">Вход на этом устройстве завершён. Страницу можно закрыть.</p>
            """, StatusCodes.Status200OK);

    public static ContentHttpResult Error(HttpContext context, string message) =>
        Page(context, "Ошибка выхода — Моё здоровье", $"""
            <h1>Не удалось выйти через приложение</h1>
            <p class="error" role="alert">{Html.Encode(message)}</p>
            <p class="hint">Вернитесь в приложение и попробуйте выйти ещё раз.</p>
            """, StatusCodes.Status400BadRequest);

    // The same frame and headers as the sign-in pages: never cached, never framed, and the URL (it carries an ID
    // token) never leaks through Referer.
    private static ContentHttpResult Page(HttpContext context, string title, string body, int statusCode) =>
        SignInPages.Page(context, title, body, statusCode);
}
