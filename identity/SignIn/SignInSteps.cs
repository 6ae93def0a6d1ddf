using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Api;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.SignIn;

public sealed record SignInServices(
    AuthorizationRequests Requests,
    UserManager<HealthUser> Users,
    IAntiforgery Antiforgery,
    IOptions<SignInOptions> Options,
    PendingSignIns Pending,
    AccountLockout Lockout,
    AddressThrottle Throttle,
    RememberedDevices Devices,
    SecondFactors Factors,
    SignInCompletion Completion,
    SecurityEvents Events,
    TimeProvider Time,
    ILogger<SignInServices> Logger);

/// <summary>
/// The two steps of a sign-in at the authorization endpoint: the password (POST /connect/authorize), then the second
/// factor (POST /connect/authorize/second-factor). Both refuse an address that failed too often before anything
/// else, and count every failure against the account (3 in a row lock it) and the address.
/// </summary>
public static class SignInSteps
{
    public const string GenericSignInError = "Неверный логин или пароль. После нескольких неудачных попыток вход временно блокируется.";
    public const string ExpiredError = "Время на подтверждение входа истекло. Введите логин и пароль ещё раз.";

    public static string LockedOutError(DateTimeOffset until, DateTimeOffset now) =>
        $"Вход временно заблокирован до {MoscowTime.Format(until, now)} после нескольких неудачных попыток подряд. " +
        "Если это были не вы — восстановите пароль: это снимет блокировку.";

    public static async Task<Results<RazorComponentResult, SignInHttpResult, RedirectHttpResult>> SubmitPasswordAsync(
        HttpContext context, [AsParameters] SignInServices s, CancellationToken ct)
    {
        var (form, request, invalid) = await ReadFormAsync(context, s, ct);
        if (invalid is not null) return invalid;

        var username = form[SignInPages.UsernameField].ToString().Trim();
        var password = form[SignInPages.PasswordField].ToString();
        RazorComponentResult Again(string error, int status = StatusCodes.Status200OK) =>
            SignInPages.Login(context, request!, s.Antiforgery.GetAndStoreTokens(context), error, username, status);

        if (!await s.Antiforgery.IsRequestValidAsync(context))
            return Again("Страница входа устарела. Введите логин и пароль ещё раз.", StatusCodes.Status400BadRequest);
        if (username.Length == 0 || password.Length == 0) return Again("Введите логин и пароль.");
        if (await s.Throttle.ThrottledForAsync(context, ct) is { } retryAfter) return SignInPages.Throttled(context, retryAfter);

        var clientId = request!.Client.ClientId;
        var now = s.Time.GetUtcNow();
        var user = await FindUserAsync(s.Users, username, ct);
        if (user is null || user.IsManagedByGuardian)
        {
            // Exactly what a wrong password gets: the same page, a password hash computed, a failure counted, a
            // lockout after as many attempts. Nobody learns from the answer which logins exist.
            if (await s.Lockout.UnknownLoginLockedUntilAsync(username, ct) is { } phantomUntil) return Again(LockedOutError(phantomUntil, now));
            s.Users.PasswordHasher.VerifyHashedPassword(Nobody, DummyPasswordHash(s.Users), password);
            await s.Throttle.RecordFailureAsync(context, ct);
            var unknown = await s.Lockout.RecordUnknownLoginFailureAsync(username, ct);
            await s.Events.PublishAsync(SecurityEventKinds.SignInFailed, user?.Id, SecurityEvents.Failure, new Dictionary<string, string>
            {
                ["reason"] = user is null ? "unknown_login" : "managed_account",
                ["attempt"] = unknown.AttemptInARow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, clientId: clientId, ct: ct);
            return Again(unknown.LockedUntil is { } until ? LockedOutError(until, now) : GenericSignInError);
        }

        if (s.Lockout.LockedUntil(user) is { } lockedUntil)
        {
            // The password is not even checked while the account is locked: guessing gains nothing.
            await s.Events.PublishAsync(SecurityEventKinds.SignInFailed, user.Id, SecurityEvents.Failure,
                new Dictionary<string, string> { ["reason"] = "locked_out" }, clientId: clientId, ct: ct);
            return Again(LockedOutError(lockedUntil, now));
        }

        if (!await s.Users.CheckPasswordAsync(user, password))
        {
            await s.Throttle.RecordFailureAsync(context, ct);
            var failed = await s.Lockout.RecordFailureAsync(user, SecurityEventKinds.SignInFailed, "wrong_password", clientId, ct);
            s.Logger.LogInformation("Sign-in failed for user {UserId}: wrong password (attempt {Attempt})", user.Id, failed.AttemptInARow);
            return Again(failed.LockedUntil is { } until ? LockedOutError(until, now) : GenericSignInError);
        }

        if (await s.Devices.RecognizeAsync(context, user.Id, ct) is { } device)
        {
            s.Logger.LogInformation("User {UserId} passed the password on remembered device {DeviceId}", user.Id, device.Id);
            return await s.Completion.CompleteAsync(context, request, user, ["pwd"], "remembered_device", rememberDevice: false, ct);
        }

        var factors = await s.Factors.AvailableAsync(user);
        if (factors.Count == 0)
        {
            s.Logger.LogWarning("User {UserId} has no second factor (no confirmed phone or e-mail) and cannot sign in", user.Id);
            return Again("Для входа нужно подтверждение по телефону или электронной почте, но они не указаны в учётной записи. " +
                         "Обратитесь в службу поддержки.");
        }

        var pending = s.Pending.Start(user.Id, user.SecurityStamp ?? "", factors[0]);
        return await SecondFactorPageAsync(context, s, request, user, pending, factors, sendCode: true, ct: ct);
    }

    public static async Task<Results<RazorComponentResult, SignInHttpResult, RedirectHttpResult>> SubmitSecondFactorAsync(
        HttpContext context, [AsParameters] SignInServices s, CancellationToken ct)
    {
        var (form, request, invalid) = await ReadFormAsync(context, s, ct);
        if (invalid is not null) return invalid;
        RazorComponentResult StartOver(string error, int status = StatusCodes.Status200OK)
        {
            s.Pending.Clear(context);
            return SignInPages.Login(context, request!, s.Antiforgery.GetAndStoreTokens(context), error, statusCode: status);
        }

        var pending = s.Pending.Read(context);
        if (pending is null) return StartOver(ExpiredError);
        if (!await s.Antiforgery.IsRequestValidAsync(context))
            return StartOver("Страница входа устарела. Введите логин и пароль ещё раз.", StatusCodes.Status400BadRequest);
        if (await s.Throttle.ThrottledForAsync(context, ct) is { } retryAfter) return SignInPages.Throttled(context, retryAfter);

        var user = await s.Users.FindByIdAsync(pending.UserId.ToString());
        // A password changed (or the account otherwise secured) since the password step ends the attempt.
        if (user is null || user.SecurityStamp != pending.SecurityStamp) return StartOver(ExpiredError);
        var now = s.Time.GetUtcNow();
        if (s.Lockout.LockedUntil(user) is { } lockedUntil) return StartOver(LockedOutError(lockedUntil, now));

        var factors = await s.Factors.AvailableAsync(user);
        var action = form[SignInPages.ActionField].ToString();
        if (action.StartsWith("use-", StringComparison.Ordinal))
        {
            if (!SignInPages.TryParseFactor(action["use-".Length..], out var chosen) || !factors.Contains(chosen))
                return await SecondFactorPageAsync(context, s, request!, user, pending, factors, error: "Этот способ подтверждения недоступен.", ct: ct);
            return await SecondFactorPageAsync(context, s, request!, user, pending with { Factor = chosen, CodeSentAt = null }, factors, sendCode: true, ct: ct);
        }
        if (!factors.Contains(pending.Factor)) return StartOver(ExpiredError);
        if (action == "resend")
            return await SecondFactorPageAsync(context, s, request!, user, pending, factors, sendCode: true, resend: true, ct: ct);

        var check = await s.Factors.VerifyAsync(pending, user, form[SignInPages.CodeField], form[SignInPages.CredentialField], context, ct);
        if (check.Succeeded)
        {
            var remember = form[SignInPages.RememberDeviceField] == "true";
            return await s.Completion.CompleteAsync(context, request!, user, check.AuthenticationMethods,
                SignInPages.FactorName(pending.Factor), remember, ct);
        }
        if (!check.CountsAsAttempt)
            return await SecondFactorPageAsync(context, s, request!, user, pending, factors, error: check.RussianError, ct: ct);

        await s.Throttle.RecordFailureAsync(context, ct);
        var failed = await s.Lockout.RecordFailureAsync(user, SecurityEventKinds.SecondFactorFailed, check.Reason, request!.Client.ClientId, ct);
        s.Logger.LogInformation("Second factor failed for user {UserId}: {Reason} (attempt {Attempt})", user.Id, check.Reason, failed.AttemptInARow);
        if (failed.LockedUntil is { } until) return StartOver(LockedOutError(until, now));

        var left = s.Options.Value.FailuresBeforeLockout - failed.AttemptInARow;
        return await SecondFactorPageAsync(context, s, request, user, pending, factors,
            error: $"{check.RussianError} Осталось попыток до временной блокировки: {left}.", ct: ct);
    }

    /// <summary>Renders the second-factor page, first sending a code when the factor is SMS or e-mail and one is due.</summary>
    private static async Task<Results<RazorComponentResult, SignInHttpResult, RedirectHttpResult>> SecondFactorPageAsync(
        HttpContext context, SignInServices s, AuthorizationRequest request, HealthUser user, PendingSignIn pending,
        IReadOnlyList<SecondFactorKind> factors, bool sendCode = false, bool resend = false, string? error = null, CancellationToken ct = default)
    {
        string? notice = null;
        TimeSpan? resendIn = null;
        string? passkeyOptions = null;
        if (pending.Factor is SecondFactorKind.Sms or SecondFactorKind.Email && sendCode)
        {
            var sent = await s.Factors.SendCodeAsync(pending, user, ct);
            if (sent.IsSent)
            {
                pending = pending with { CodeSentAt = s.Time.GetUtcNow() };
                if (resend) notice = "Новый код отправлен. Предыдущий больше не действует.";
            }
            else
            {
                resendIn = sent.RetryAfter;
                notice = pending.CodeSentAt is null
                    ? "Код уже был отправлен недавно: введите его или запросите новый позже."
                    : "Код уже отправлен: новый можно запросить позже.";
            }
        }
        if (resendIn is null && pending.CodeSentAt is { } sentAt && sentAt + s.Factors.ResendInterval - s.Time.GetUtcNow() is var wait && wait > TimeSpan.Zero)
            resendIn = wait;
        if (pending.Factor == SecondFactorKind.Passkey)
        {
            passkeyOptions = await s.Factors.BeginPasskeyAsync(user, context, ct);
        }

        s.Pending.Save(context, pending);
        var view = new SecondFactorView(
            pending.Factor,
            [.. factors.Where(f => f != pending.Factor)],
            SecondFactors.MaskedDestination(user, pending.Factor),
            error,
            notice,
            resendIn,
            passkeyOptions,
            CodeSent: pending.CodeSentAt is not null);
        return SignInPages.SecondFactor(context, request, s.Antiforgery.GetAndStoreTokens(context), view);
    }

    /// <summary>
    /// The form, and the authorization request in its hidden fields as OpenIddict validated it again: a tampered request
    /// gets the same error page (or error redirect, sent by OpenIddict) as at the start.
    /// </summary>
    internal static async Task<(IFormCollection Form, AuthorizationRequest? Request, Results<RazorComponentResult, SignInHttpResult, RedirectHttpResult>? Invalid)>
        ReadFormAsync(HttpContext context, SignInServices s, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType) return (FormCollection.Empty, null, SignInPages.Error(context, "Запрос на вход повреждён."));
        var form = await context.Request.ReadFormAsync(ct);
        return await s.Requests.ReadAsync(context, ct) switch
        {
            AuthorizationValidation.ShowError show => (form, null, SignInPages.Error(context, show.RussianMessage)),
            AuthorizationValidation.RedirectError redirect => (form, null, TypedResults.Redirect(redirect.Location)),
            AuthorizationValidation.Valid valid => (form, valid.Request, null),
            _ => throw new InvalidOperationException("Unexpected validation result."),
        };
    }

    /// <summary>A person signs in with their login or, like on Gosuslugi, with their SNILS.</summary>
    private static async Task<HealthUser?> FindUserAsync(UserManager<HealthUser> users, string login, CancellationToken ct)
    {
        if (await users.FindByNameAsync(login) is { } user) return user;
        return Snils.TryNormalize(login, out var snils)
            ? await users.Users.SingleOrDefaultAsync(u => u.Snils == snils, ct)
            : null;
    }

    private static readonly HealthUser Nobody = new() { FamilyName = "", GivenName = "" };
    private static string? _dummyPasswordHash;

    /// <summary>
    /// A hash made by the service's own hasher (its algorithm and iteration count), so that checking an unknown login
    /// takes as long as checking a real one.
    /// </summary>
    private static string DummyPasswordHash(UserManager<HealthUser> users) =>
        _dummyPasswordHash ??= users.PasswordHasher.HashPassword(Nobody, Guid.NewGuid().ToString());
}
