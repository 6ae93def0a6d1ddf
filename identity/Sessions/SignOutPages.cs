using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

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

    private static ContentHttpResult Page(HttpContext context, string title, string body, int statusCode)
    {
        var headers = context.Response.Headers;
        // Like the login page: never cached, never framed, and the URL (it carries an ID token) never leaks via Referer.
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

        return TypedResults.Content($$"""
            <!DOCTYPE html>
            <html lang="ru">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html.Encode(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; background: #f1f4f8; color: #0b1f33; margin: 0; }
            main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 12px; }
            .brand { color: #0d4cd3; font-weight: 600; margin: 0 0 1rem; }
            h1 { font-size: 1.5rem; margin: 0 0 1rem; }
            button { margin-top: 1.5rem; width: 100%; padding: .75rem; background: #0d4cd3; color: #fff; border: 0; border-radius: 8px; font-size: 1rem; cursor: pointer; }
            .error { color: #b00020; background: #fdecee; padding: .75rem; border-radius: 8px; }
            .hint { color: #66727f; }
            </style>
            </head>
            <body>
            <main>
            <p class="brand">Госуслуги · Моё здоровье</p>
            {{body}}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
