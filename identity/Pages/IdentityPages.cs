using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Identity.Pages;

/// <summary>
/// How identity answers with a page of its own (sign-in, sign-out): a Razor component rendered on the server inside
/// <see cref="IdentityPageLayout"/>, with the headers that keep it private.
/// </summary>
public static class IdentityPages
{
    /// <summary>Server-side rendering of the pages' components; nothing interactive, no Blazor script.</summary>
    public static IServiceCollection AddIdentityPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // Razor encodes what it writes with the HtmlEncoder service: this one keeps Cyrillic readable in the page source
        // (and in what tests read) while still encoding every markup character.
        services.Replace(ServiceDescriptor.Singleton(HtmlEncoder.Create(UnicodeRanges.All)));
        return services;
    }

    /// <summary>A new nonce for the one inline script a page may run (the passkey page's); base64url, so nothing encodes it.</summary>
    public static string NewScriptNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// <typeparamref name="TPage"/> with <paramref name="parameters"/>, answered with <paramref name="statusCode"/>. The
    /// headers are set now, as the handler returns, after it made its antiforgery tokens (which set caching headers of
    /// their own).
    /// </summary>
    public static RazorComponentResult Render<TPage>(HttpContext context, IReadOnlyDictionary<string, object?> parameters,
        int statusCode, string? scriptNonce = null) where TPage : IComponent
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

        // The whole page is rendered before the first byte is sent: a page is small, and its status code stays the one given.
        return new RazorComponentResult<TPage>(parameters) { StatusCode = statusCode, PreventStreamingRendering = true };
    }
}
