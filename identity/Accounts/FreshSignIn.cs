using System.Globalization;
using System.Security.Claims;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Identity.Accounts;

/// <summary>
/// The rule for changes that could hand an account to someone else (phone, e-mail, password, second factors):
/// the access token must come from a sign-in within the last <see cref="MaxAge"/> that used a second factor.
/// A stolen, older token or a password-only sign-in is not enough.
/// </summary>
public static class FreshSignIn
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>A sign-in clock slightly ahead of ours still counts (the same tolerance as token validation).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>RFC 8176 methods that are a second factor: an authenticator app, an SMS or e-mail code, a hardware key, or "mfa".</summary>
    public static readonly IReadOnlySet<string> SecondFactorMethods = new HashSet<string>(StringComparer.Ordinal) { "otp", "sms", "hwk", "mfa" };

    public const string AuthTimeClaim = "auth_time";
    public const string Reason = "reauthentication_required";
    public const string Detail = "Войдите заново с подтверждением второго фактора";

    /// <summary>True when the token's <c>auth_time</c> is at most 10 minutes old and its <c>amr</c> names a second factor.</summary>
    public static bool IsFresh(ClaimsPrincipal user, TimeProvider time)
    {
        // amr is a JSON array in the token: one claim per method; a space-separated single value is accepted too.
        var methods = user.FindAll(HealthClaims.AuthenticationMethods)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (!methods.Any(SecondFactorMethods.Contains)) return false;

        if (!long.TryParse(user.FindFirst(AuthTimeClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        DateTimeOffset authTime;
        try { authTime = DateTimeOffset.FromUnixTimeSeconds(seconds); }
        catch (ArgumentOutOfRangeException) { return false; }

        var age = time.GetUtcNow() - authTime;
        return age <= MaxAge && age >= -ClockSkew;
    }

    /// <summary>403 problem: sign in again with the second factor, then repeat the request.</summary>
    public static ProblemHttpResult Required() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: Detail,
            extensions: new Dictionary<string, object?> { ["reason"] = Reason });
}
