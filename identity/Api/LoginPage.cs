using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Api;

/// <summary>The HTML pages a person sees at the authorization endpoint. Russian: a patient reads them.</summary>
internal static class LoginPage
{
    public const string UsernameField = "username";
    public const string PasswordField = "password";

    // Cyrillic stays readable in the page source; markup characters are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static ContentHttpResult Login(HttpContext context, AuthorizationRequest request, AntiforgeryTokenSet antiforgery,
        string? error = null, string? username = null, int statusCode = StatusCodes.Status200OK)
    {
        var html = Html;
        var body = new StringBuilder();
        body.Append($"""
            <h1>Вход</h1>
            <p class="hint">Приложение «{html.Encode(request.Client.DisplayName)}» запрашивает вход в сервис «Моё здоровье».</p>
            """);
        if (error is not null) body.Append($"""<p class="error" role="alert">{html.Encode(error)}</p>""");
        body.Append("""<form method="post" action="/connect/authorize" autocomplete="on">""");
        body.Append($"""<input type="hidden" name="{html.Encode(antiforgery.FormFieldName)}" value="{html.Encode(antiforgery.RequestToken ?? "")}">""");
        foreach (var (name, value) in request.FormParameters())
            body.Append($"""<input type="hidden" name="{html.Encode(name)}" value="{html.Encode(value)}">""");
        body.Append($"""
            <label for="username">Логин или СНИЛС</label>
            <input id="username" name="{UsernameField}" type="text" value="{html.Encode(username ?? "")}" autocomplete="username" required autofocus>
            <label for="password">Пароль</label>
            <input id="password" name="{PasswordField}" type="password" autocomplete="current-password" required>
            <button type="submit">Войти</button>
            </form>
            """);
        return Page(context, "Вход — Моё здоровье", body.ToString(), statusCode);
    }

    public static ContentHttpResult Error(HttpContext context, string message) =>
        Page(context, "Ошибка входа — Моё здоровье",
            $"""
            <h1>Не удалось начать вход</h1>
            <p class="error" role="alert">{Html.Encode(message)}</p>
            <p class="hint">Вернитесь в приложение и попробуйте войти ещё раз.</p>
            """,
            StatusCodes.Status400BadRequest);

    private static ContentHttpResult Page(HttpContext context, string title, string body, int statusCode)
    {
        var headers = context.Response.Headers;
        // The page handles passwords: never cached, never framed (clickjacking), and its URL, which
        // carries the authorization request, never leaks through Referer (RFC 9700 §4.2.4, §4.16).
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
            label { display: block; margin: 1rem 0 .25rem; }
            input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #c1c9d6; border-radius: 8px; font-size: 1rem; }
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
