using System.Globalization;
using Gosuslugi.Health.Identity.Pages;
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

/// <summary>
/// The pages a person sees at the authorization endpoint (Razor components beside this file; Russian: a patient reads
/// them), and the names of their fields, which the handlers read back.
/// </summary>
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

    public static RazorComponentResult Login(HttpContext context, AuthorizationRequest request, AntiforgeryTokenSet antiforgery,
        string? error = null, string? username = null, int statusCode = StatusCodes.Status200OK) =>
        IdentityPages.Render<LoginPage>(context, new Dictionary<string, object?>
        {
            [nameof(LoginPage.Request)] = request,
            [nameof(LoginPage.Antiforgery)] = antiforgery,
            [nameof(LoginPage.Error)] = error,
            [nameof(LoginPage.Username)] = username,
        }, statusCode);

    public static RazorComponentResult SecondFactor(HttpContext context, AuthorizationRequest request, AntiforgeryTokenSet antiforgery,
        SecondFactorView view, int statusCode = StatusCodes.Status200OK)
    {
        // The passkey page runs its own script, allowed by a nonce of this response; the other pages run none.
        var nonce = view.Factor == SecondFactorKind.Passkey ? IdentityPages.NewScriptNonce() : null;
        return IdentityPages.Render<SecondFactorPage>(context, new Dictionary<string, object?>
        {
            [nameof(SecondFactorPage.Request)] = request,
            [nameof(SecondFactorPage.Antiforgery)] = antiforgery,
            [nameof(SecondFactorPage.View)] = view,
            [nameof(SecondFactorPage.ScriptNonce)] = nonce,
        }, statusCode, nonce);
    }

    /// <summary>429: the address has failed too often; nothing about any account was checked.</summary>
    public static RazorComponentResult Throttled(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return IdentityPages.Render<ThrottledPage>(context, new Dictionary<string, object?>
        {
            [nameof(ThrottledPage.Minutes)] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes)),
        }, StatusCodes.Status429TooManyRequests);
    }

    public static RazorComponentResult Error(HttpContext context, string message) =>
        IdentityPages.Render<SignInErrorPage>(context, new Dictionary<string, object?>
        {
            [nameof(SignInErrorPage.Message)] = message,
        }, StatusCodes.Status400BadRequest);

    /// <summary>"+7 *** ***-45-67": enough for the person to recognise their number, too little for anyone else.</summary>
    public static string MaskPhone(string phone) =>
        phone.Length >= 4 ? $"+7 *** ***-{phone[^4..^2]}-{phone[^2..]}" : "***";

    /// <summary>"i***@mail.ru".</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
