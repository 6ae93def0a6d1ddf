using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>What the second-factor page shows.</summary>
/// <param name="Alternatives">The person's other factors, offered as "another way".</param>
/// <param name="Destination">Where the code went, masked ("+7 *** ***-45-67").</param>
/// <param name="ResendIn">Time left before another code may be sent; null when it may be sent now.</param>
/// <param name="PasskeyOptionsJson">The WebAuthn request options when the factor is a passkey.</param>
/// <param name="CodeSent">For SMS and e-mail: whether a code went out in this sign-in (none when the destination was throttled).</param>
public sealed record SecondFactorView(
    SecondFactorKind Factor,
    IReadOnlyList<SecondFactorKind> Alternatives,
    string? Destination,
    string? Error = null,
    string? Notice = null,
    TimeSpan? ResendIn = null,
    string? PasskeyOptionsJson = null,
    bool CodeSent = false);

/// <summary>The HTML pages a person sees at the authorization endpoint. Russian: a patient reads them.</summary>
public static class SignInPages
{
    public const string UsernameField = "username";
    public const string PasswordField = "password";
    public const string CodeField = "code";
    public const string CredentialField = "credential";
    public const string ActionField = "action";
    public const string RememberDeviceField = "remember_device";

    public const string SecondFactorPath = "/connect/authorize/second-factor";

    /// <summary>The <c>data-factor</c> of the second-factor form: which factor the page asks for (clients and tests read it).</summary>
    public static string FactorName(SecondFactorKind factor) => factor switch
    {
        SecondFactorKind.Totp => "totp",
        SecondFactorKind.Sms => "sms",
        SecondFactorKind.Email => "email",
        SecondFactorKind.Passkey => "passkey",
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, null),
    };

    public static bool TryParseFactor(string? name, out SecondFactorKind factor)
    {
        foreach (var candidate in Enum.GetValues<SecondFactorKind>())
        {
            if (FactorName(candidate) == name)
            {
                factor = candidate;
                return true;
            }
        }
        factor = default;
        return false;
    }

    // Cyrillic stays readable in the page source; markup characters are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static ContentHttpResult Login(HttpContext context, AuthorizationRequest request, AntiforgeryTokenSet antiforgery,
        string? error = null, string? username = null, int statusCode = StatusCodes.Status200OK)
    {
        var body = new StringBuilder();
        body.Append($"""
            <h1>Вход</h1>
            <p class="hint">Приложение «{Html.Encode(request.Client.DisplayName)}» запрашивает вход в сервис «Моё здоровье».</p>
            """);
        if (error is not null) body.Append($"""<p class="error" role="alert">{Html.Encode(error)}</p>""");
        body.Append("""<form method="post" action="/connect/authorize" autocomplete="on">""");
        HiddenFields(body, request, antiforgery);
        body.Append($"""
            <label for="username">Логин или СНИЛС</label>
            <input id="username" name="{UsernameField}" type="text" value="{Html.Encode(username ?? "")}" autocomplete="username" required autofocus>
            <label for="password">Пароль</label>
            <input id="password" name="{PasswordField}" type="password" autocomplete="current-password" required>
            <button type="submit">Войти</button>
            </form>
            """);
        return Page(context, "Вход — Моё здоровье", body.ToString(), statusCode);
    }

    public static ContentHttpResult SecondFactor(HttpContext context, AuthorizationRequest request, AntiforgeryTokenSet antiforgery,
        SecondFactorView view, int statusCode = StatusCodes.Status200OK)
    {
        var body = new StringBuilder();
        body.Append("<h1>Подтверждение входа</h1>");
        body.Append(view.Factor switch
        {
            SecondFactorKind.Totp =>
                """<p>Откройте приложение-аутентификатор и введите 6-значный код для «Госуслуги.Здоровье».</p>""",
            SecondFactorKind.Sms =>
                $"""<p>Мы отправили код в SMS на номер <strong>{Html.Encode(view.Destination ?? "")}</strong>. Код действует 5 минут.</p>""",
            SecondFactorKind.Email =>
                $"""<p>Мы отправили код на адрес <strong>{Html.Encode(view.Destination ?? "")}</strong>. Код действует 5 минут.</p>""",
            _ =>
                """<p>Подтвердите вход ключом доступа (passkey): отпечатком пальца, лицом или PIN-кодом устройства.</p>""",
        });
        if (view.Notice is not null) body.Append($"""<p class="notice" role="status">{Html.Encode(view.Notice)}</p>""");
        if (view.Error is not null) body.Append($"""<p class="error" role="alert">{Html.Encode(view.Error)}</p>""");

        // data-factor and data-code-sent say what the page asks for, for clients and tests that drive it.
        var codeSent = view.Factor is SecondFactorKind.Sms or SecondFactorKind.Email ? $" data-code-sent=\"{(view.CodeSent ? "true" : "false")}\"" : "";
        body.Append($"""<form id="second-factor" method="post" action="{SecondFactorPath}" data-factor="{FactorName(view.Factor)}"{codeSent} autocomplete="off">""");
        HiddenFields(body, request, antiforgery);
        string? nonce = null;
        if (view.Factor == SecondFactorKind.Passkey)
        {
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            // A data block is not executed, so it needs no nonce; "<" is escaped so that it cannot close the element.
            var options = (view.PasskeyOptionsJson ?? "{}").Replace("<", "\\u003c", StringComparison.Ordinal);
            body.Append($"""
                <input type="hidden" name="{CredentialField}" value="">
                <script type="application/json" id="passkey-options">{options}</script>
                <p class="error" role="alert" id="passkey-error" hidden>Не удалось подтвердить вход ключом доступа. Попробуйте ещё раз или выберите другой способ.</p>
                <button type="button" id="passkey-button">Войти с ключом доступа</button>
                """);
        }
        else
        {
            body.Append($"""
                <label for="code">Код подтверждения</label>
                <input id="code" name="{CodeField}" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 \-]*" maxlength="8" required autofocus>
                """);
        }
        body.Append($"""
            <label class="check"><input type="checkbox" name="{RememberDeviceField}" value="true"> Запомнить это устройство на 30 дней</label>
            <p class="hint small">Не отмечайте на чужом или общем компьютере.</p>
            """);
        if (view.Factor != SecondFactorKind.Passkey)
            body.Append($"""<button type="submit" name="{ActionField}" value="verify">Подтвердить</button>""");

        if (view.Factor is SecondFactorKind.Sms or SecondFactorKind.Email)
        {
            if (view.ResendIn is { } wait && wait > TimeSpan.Zero)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                body.Append($"""<p class="hint small">Отправить код повторно можно через {seconds.ToString(CultureInfo.InvariantCulture)} с.</p>""");
            }
            body.Append($"""<button type="submit" class="link" name="{ActionField}" value="resend" formnovalidate>Отправить код ещё раз</button>""");
        }

        if (view.Alternatives.Count > 0)
        {
            body.Append("""<p class="hint">Другой способ подтверждения:</p>""");
            foreach (var alternative in view.Alternatives)
            {
                var label = alternative switch
                {
                    SecondFactorKind.Totp => "Код из приложения-аутентификатора",
                    SecondFactorKind.Sms => "Код в SMS",
                    SecondFactorKind.Email => "Код на электронную почту",
                    _ => "Ключ доступа (passkey)",
                };
                body.Append($"""<button type="submit" class="link" name="{ActionField}" value="use-{FactorName(alternative)}" formnovalidate>{label}</button>""");
            }
        }
        body.Append("</form>");
        body.Append($"""<p class="hint"><a href="{Html.Encode(AuthorizeUrl(request))}">Войти под другой учётной записью</a></p>""");
        if (nonce is not null) body.Append($"""<script nonce="{nonce}">{PasskeyScript}</script>""");
        return Page(context, "Подтверждение входа — Моё здоровье", body.ToString(), statusCode, nonce);
    }

    /// <summary>429: the address has failed too often; nothing about any account was checked.</summary>
    public static ContentHttpResult Throttled(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        return Page(context, "Слишком много попыток — Моё здоровье",
            $"""
            <h1>Слишком много попыток</h1>
            <p class="error" role="alert">С вашего адреса было слишком много неудачных попыток входа. Попробуйте снова через {minutes.ToString(CultureInfo.InvariantCulture)} мин.</p>
            <p class="hint">Если вы забыли пароль, восстановите его в приложении «Госуслуги · Моё здоровье».</p>
            """,
            StatusCodes.Status429TooManyRequests);
    }

    public static ContentHttpResult Error(HttpContext context, string message) =>
        Page(context, "Ошибка входа — Моё здоровье",
            $"""
            <h1>Не удалось начать вход</h1>
            <p class="error" role="alert">{Html.Encode(message)}</p>
            <p class="hint">Вернитесь в приложение и попробуйте войти ещё раз.</p>
            """,
            StatusCodes.Status400BadRequest);

    /// <summary>"+7 *** ***-45-67": enough for the person to recognise their number, too little for anyone else.</summary>
    public static string MaskPhone(string phone) =>
        phone.Length >= 4 ? $"+7 *** ***-{phone[^4..^2]}-{phone[^2..]}" : "***";

    /// <summary>"i***@mail.ru".</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    private static void HiddenFields(StringBuilder body, AuthorizationRequest request, AntiforgeryTokenSet antiforgery)
    {
        body.Append($"""<input type="hidden" name="{Html.Encode(antiforgery.FormFieldName)}" value="{Html.Encode(antiforgery.RequestToken ?? "")}">""");
        foreach (var (name, value) in request.FormParameters())
            body.Append($"""<input type="hidden" name="{Html.Encode(name)}" value="{Html.Encode(value)}">""");
    }

    private static string AuthorizeUrl(AuthorizationRequest request) =>
        "/connect/authorize?" + string.Join('&', request.FormParameters()
            .Append(new("prompt", "login"))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>
    /// Asks the browser for a passkey assertion and posts it. Uses the WebAuthn JSON helpers where the browser has
    /// them and decodes base64url itself where it does not.
    /// </summary>
    private const string PasskeyScript = """
        (() => {
          const form = document.getElementById('second-factor');
          const button = document.getElementById('passkey-button');
          const failure = document.getElementById('passkey-error');
          const options = JSON.parse(document.getElementById('passkey-options').textContent);
          const fromB64 = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - s.length % 4) % 4)), c => c.charCodeAt(0));
          const toB64 = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          const requestOptions = () => PublicKeyCredential.parseRequestOptionsFromJSON
            ? PublicKeyCredential.parseRequestOptionsFromJSON(options)
            : { ...options, challenge: fromB64(options.challenge), allowCredentials: (options.allowCredentials || []).map(c => ({ ...c, id: fromB64(c.id) })) };
          const toJson = c => c.toJSON ? c.toJSON() : {
            id: c.id, rawId: toB64(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment,
            clientExtensionResults: c.getClientExtensionResults(),
            response: {
              clientDataJSON: toB64(c.response.clientDataJSON), authenticatorData: toB64(c.response.authenticatorData),
              signature: toB64(c.response.signature), userHandle: c.response.userHandle ? toB64(c.response.userHandle) : null,
            },
          };
          button.addEventListener('click', async () => {
            failure.hidden = true;
            try {
              const credential = await navigator.credentials.get({ publicKey: requestOptions() });
              form.elements['credential'].value = JSON.stringify(toJson(credential));
              form.submit();
            } catch {
              failure.hidden = false;
            }
          });
        })();
        """;

    /// <summary>A page of identity's own (sign-in, sign-out) in the portal's frame, with the headers that keep it private.</summary>
    internal static ContentHttpResult Page(HttpContext context, string title, string body, int statusCode, string? scriptNonce = null)
    {
        var headers = context.Response.Headers;
        // The pages handle passwords and codes: never cached, never framed (clickjacking), and their URL, which
        // carries the authorization request, never leaks through Referer (RFC 9700 §4.2.4, §4.16). The only
        // script allowed is the passkey page's own, by its nonce.
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
                                        + (scriptNonce is null ? "" : $"; script-src 'nonce-{scriptNonce}'");

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
            label.check { display: flex; gap: .5rem; align-items: center; }
            input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #c1c9d6; border-radius: 8px; font-size: 1rem; }
            button { margin-top: 1.5rem; width: 100%; padding: .75rem; background: #0d4cd3; color: #fff; border: 0; border-radius: 8px; font-size: 1rem; cursor: pointer; }
            button.link { margin-top: .5rem; background: none; color: #0d4cd3; padding: .25rem 0; text-align: left; }
            .error { color: #b00020; background: #fdecee; padding: .75rem; border-radius: 8px; }
            .notice { background: #e8f1ff; padding: .75rem; border-radius: 8px; }
            .hint { color: #66727f; }
            .small { font-size: .875rem; margin: .25rem 0; }
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
