using Gosuslugi.Health.Identity.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Sessions;

/// <summary>
/// The pages of the end-session endpoint (Razor components beside this file; Russian: a person reads them), in the same
/// frame and with the same headers as the sign-in pages: never cached, never framed, and the URL (it carries an ID
/// token) never leaks through Referer.
/// </summary>
internal static class SignOutPages
{
    public const string ConfirmField = "confirm";
    public const string ConfirmValue = "yes";

    /// <summary>
    /// Asked when an application sends the person here without an ID token: a link on another site must not be able to
    /// sign anyone out by itself (OpenID Connect RP-Initiated Logout §2 asks the OP to confirm then).
    /// </summary>
    public static RazorComponentResult Confirm(HttpContext context, AntiforgeryTokenSet antiforgery, IEnumerable<KeyValuePair<string, string>> fields,
        int statusCode = StatusCodes.Status200OK) =>
        IdentityPages.Render<SignOutConfirmPage>(context, new Dictionary<string, object?>
        {
            [nameof(SignOutConfirmPage.Antiforgery)] = antiforgery,
            [nameof(SignOutConfirmPage.Fields)] = fields.Prepend(new(ConfirmField, ConfirmValue)).ToList(),
        }, statusCode);

    public static RazorComponentResult SignedOut(HttpContext context) =>
        IdentityPages.Render<SignedOutPage>(context, new Dictionary<string, object?>(), StatusCodes.Status200OK);

    public static RazorComponentResult Error(HttpContext context, string message) =>
        IdentityPages.Render<SignOutErrorPage>(context, new Dictionary<string, object?>
        {
            [nameof(SignOutErrorPage.Message)] = message,
        }, StatusCodes.Status400BadRequest);
}
