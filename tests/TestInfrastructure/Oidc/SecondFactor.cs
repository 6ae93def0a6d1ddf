using System.Net;
using System.Text.RegularExpressions;

namespace Gosuslugi.Health.TestInfrastructure.Oidc;

/// <summary>How a test person passes the second step of a sign-in.</summary>
public abstract record SecondFactor
{
    /// <summary>The <c>data-factor</c> of the page that asks for it: totp, sms or email.</summary>
    public abstract string PageFactor { get; }

    /// <summary>The code to type, for a page shown (and a code sent) at or after <paramref name="requestedAt"/>.</summary>
    public abstract Task<string> CodeAsync(DateTimeOffset requestedAt, CancellationToken ct);

    /// <summary>What to use instead when identity sent no code this time (the destination had one less than a minute ago).</summary>
    public virtual SecondFactor? Fallback => null;

    /// <summary>A code from an authenticator app set up with the person's TOTP secret (base32).</summary>
    public static SecondFactor AuthenticatorApp(string totpSecret) => new AuthenticatorAppFactor(totpSecret);

    /// <summary>
    /// The code identity sent to <paramref name="destination"/> (a phone +7XXXXXXXXXX by SMS, or an e-mail address),
    /// read from its development mailbox; the code to <paramref name="fallbackDestination"/> when identity sent none
    /// to the first (it sends one code a minute per destination).
    /// </summary>
    public static SecondFactor CodeFromMailbox(Mailbox mailbox, string destination, string? fallbackDestination = null) =>
        new MailboxFactor(mailbox, destination, fallbackDestination is null ? null : new MailboxFactor(mailbox, fallbackDestination, null));

    private sealed record AuthenticatorAppFactor(string TotpSecret) : SecondFactor
    {
        public override string PageFactor => "totp";
        public override Task<string> CodeAsync(DateTimeOffset requestedAt, CancellationToken ct) => Authenticator.NextUnusedCodeAsync(TotpSecret, ct);
    }

    private sealed record MailboxFactor(Mailbox Mailbox, string Destination, MailboxFactor? Instead) : SecondFactor
    {
        public override string PageFactor => Destination.Contains('@') ? "email" : "sms";
        public override SecondFactor? Fallback => Instead;
        public override Task<string> CodeAsync(DateTimeOffset requestedAt, CancellationToken ct) =>
            Mailbox.WaitForCodeAsync(Destination, requestedAt, TimeSpan.FromSeconds(10));
    }
}

/// <summary>A form of identity's sign-in pages: where it posts, its fields, which factor it asks for and, for SMS and e-mail, whether a code went out.</summary>
public sealed partial record SignInForm(string? Action, Dictionary<string, string> Fields, string? Factor, bool? CodeSent = null)
{
    public const string SecondFactorPath = "/connect/authorize/second-factor";

    public static SignInForm Parse(string html)
    {
        var form = FormTag().Match(html);
        string? Attribute(string tag, string name) =>
            Regex.Match(tag, $"""\s{name}\s*=\s*("([^"]*)"|'([^']*)')""", RegexOptions.IgnoreCase) is { Success: true } m
                ? WebUtility.HtmlDecode(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value)
                : null;

        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(html))
        {
            if (Attribute(input.Value, "name") is not { } name) continue;
            // An unchecked box is not sent by a browser; the page's boxes start unchecked.
            if (Attribute(input.Value, "type") == "checkbox" && !input.Value.Contains(" checked", StringComparison.OrdinalIgnoreCase)) continue;
            fields[name] = Attribute(input.Value, "value") ?? "";
        }
        return new SignInForm(
            form.Success ? Attribute(form.Value, "action") : null,
            fields,
            form.Success ? Attribute(form.Value, "data-factor") : null,
            form.Success && Attribute(form.Value, "data-code-sent") is { } sent ? sent == "true" : null);
    }

    public bool IsSecondFactor => Action == SecondFactorPath;

    [GeneratedRegex("<form[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
}

/// <summary>Drives identity's second-factor page the way a person does: the factor they have, the code, optionally "remember this device".</summary>
public static class SecondFactorStep
{
    /// <summary>
    /// Given the answer to the password form: when it is the second-factor page, switches to <paramref name="factor"/>
    /// if the page asks for another, types the code and posts it. Returns the last response (a 303 to the client when
    /// it worked); a redirect that needed no second factor (a remembered device) is returned as it is.
    /// </summary>
    /// <param name="requestedAt">When the password was posted: a code sent since then is this sign-in's.</param>
    public static async Task<HttpResponseMessage> PassAsync(HttpClient http, HttpResponseMessage passwordAnswer, SecondFactor factor,
        DateTimeOffset requestedAt, bool rememberDevice = false, CancellationToken ct = default)
    {
        if (passwordAnswer.StatusCode != HttpStatusCode.OK) return passwordAnswer;
        var html = await passwordAnswer.Content.ReadAsStringAsync(ct);
        var form = SignInForm.Parse(html);
        if (!form.IsSecondFactor)
            throw new SignInFailedException((int)passwordAnswer.StatusCode, html);

        if (form.Factor != factor.PageFactor)
            (form, requestedAt) = await SwitchAsync(http, form, factor, ct);
        if (form.CodeSent == false && factor.Fallback is { } fallback)
        {
            factor = fallback;
            (form, requestedAt) = await SwitchAsync(http, form, factor, ct);
        }
        if (form.CodeSent == false)
        {
            throw new InvalidOperationException(
                "identity sent no code: the person had one by SMS and e-mail less than a minute ago (one a minute per destination). " +
                "A person who signs in more often needs an authenticator app (TOTP secret).");
        }

        var answer = new Dictionary<string, string> { ["action"] = "verify", ["code"] = await factor.CodeAsync(requestedAt, ct) };
        if (rememberDevice) answer["remember_device"] = "true";
        return await PostAsync(http, form, answer, ct);
    }

    /// <summary>Asks the page for another factor ("another way"); for SMS and e-mail that sends a code.</summary>
    private static async Task<(SignInForm Form, DateTimeOffset RequestedAt)> SwitchAsync(HttpClient http, SignInForm form, SecondFactor factor, CancellationToken ct)
    {
        var requestedAt = DateTimeOffset.UtcNow;
        using var switched = await PostAsync(http, form, new() { ["action"] = "use-" + factor.PageFactor }, ct);
        var html = await switched.Content.ReadAsStringAsync(ct);
        var next = SignInForm.Parse(html);
        if (switched.StatusCode != HttpStatusCode.OK || next.Factor != factor.PageFactor)
            throw new SignInFailedException((int)switched.StatusCode, html);
        return (next, requestedAt);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, SignInForm form, Dictionary<string, string> values, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(form.Fields);
        foreach (var (name, value) in values) fields[name] = value;
        return http.PostAsync(form.Action!.TrimStart('/'), new FormUrlEncodedContent(fields), ct);
    }
}
