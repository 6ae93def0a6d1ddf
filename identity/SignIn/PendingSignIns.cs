using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>The second factors a person may pass at sign-in.</summary>
public enum SecondFactorKind { Totp, Sms, Email, Passkey }

/// <summary>
/// Half a sign-in: the password was right, the second factor is still to come.
/// </summary>
/// <param name="FlowId">This sign-in attempt; its SMS and e-mail codes are bound to it (OneTimeCodes' flow id).</param>
/// <param name="SecurityStamp">The account's stamp at the password check: a password changed meanwhile ends the attempt.</param>
/// <param name="CodeSentAt">When a code was last sent for <paramref name="Factor"/> (SMS or e-mail).</param>
public sealed record PendingSignIn(
    Guid FlowId,
    Guid UserId,
    string SecurityStamp,
    DateTimeOffset ExpiresAt,
    SecondFactorKind Factor,
    DateTimeOffset? CodeSentAt = null);

/// <summary>
/// Keeps a <see cref="PendingSignIn"/> in the browser, in a cookie protected (encrypted and signed) with Data
/// Protection, for <see cref="SignInOptions.PendingLifetime"/>. Nothing about the attempt is stored on the server, so
/// a password alone opens nothing: the cookie only lets the same browser try the second factor.
/// </summary>
public sealed class PendingSignIns(IDataProtectionProvider dataProtection, IOptions<SignInOptions> options, TimeProvider time)
{
    public const string CookieName = "gosuslugi.health.signin";
    private const string Purpose = "Gosuslugi.Health.Identity.SignIn.Pending.v1";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    public PendingSignIn Start(Guid userId, string securityStamp, SecondFactorKind factor) =>
        new(Guid.CreateVersion7(), userId, securityStamp, time.GetUtcNow() + options.Value.PendingLifetime, factor);

    public void Save(HttpContext context, PendingSignIn pending)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(pending));
        context.Response.Cookies.Append(CookieName, value, Cookie(context, pending.ExpiresAt - time.GetUtcNow()));
    }

    /// <summary>The attempt this browser is in, or null when there is none, it expired, or the cookie was tampered with.</summary>
    public PendingSignIn? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            var pending = JsonSerializer.Deserialize<PendingSignIn>(_protector.Unprotect(value));
            return pending is not null && pending.ExpiresAt > time.GetUtcNow() ? pending : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName, Cookie(context, TimeSpan.Zero));

    private static CookieOptions Cookie(HttpContext context, TimeSpan maxAge) => new()
    {
        Path = "/connect",
        HttpOnly = true,
        // Only the sign-in pages, same origin, ever send it back.
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        MaxAge = maxAge > TimeSpan.Zero ? maxAge : null,
        IsEssential = true,
    };
}
