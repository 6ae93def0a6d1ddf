using System.Globalization;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;

namespace Gosuslugi.Health.Identity.SignIn;

public partial class SecondFactorPage
{
    private const string ErrorId = "second-factor-error";

    [Parameter, EditorRequired] public AuthorizationRequest Request { get; set; } = default!;

    [Parameter, EditorRequired] public AntiforgeryTokenSet Antiforgery { get; set; } = default!;

    [Parameter, EditorRequired] public SecondFactorView View { get; set; } = default!;

    /// <summary>The nonce the response's CSP allows the passkey script by; null when the page runs no script.</summary>
    [Parameter] public string? ScriptNonce { get; set; }

    /// <summary>For SMS and e-mail: "true" or "false"; for the others the attribute is left out.</summary>
    private string? CodeSent => View.Factor is SecondFactorKind.Sms or SecondFactorKind.Email ? (View.CodeSent ? "true" : "false") : null;

    /// <summary>The error, when there is one, is what the code field (or the passkey button) is described by.</summary>
    private string? DescribedBy => View.Error is null ? null : ErrorId;

    private string? ResendInSeconds => View.ResendIn is { } wait && wait > TimeSpan.Zero
        ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
        : null;

    private string PasskeyOptionsJson => (View.PasskeyOptionsJson ?? "{}").Replace("<", "\\u003c", StringComparison.Ordinal);

    /// <summary>The sign-in page again with the same request, for someone else (prompt=login ignores the browser's session).</summary>
    private string AnotherAccountUrl => "/connect/authorize?" + string.Join('&', Request.FormParameters()
        .Append(new("prompt", "login"))
        .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static string AlternativeLabel(SecondFactorKind factor) => factor switch
    {
        SecondFactorKind.Totp => "Код из приложения-аутентификатора",
        SecondFactorKind.Sms => "Код в SMS",
        SecondFactorKind.Email => "Код на электронную почту",
        _ => "Ключ доступа (passkey)",
    };

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
}
