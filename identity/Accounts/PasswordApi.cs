using System.Security.Claims;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Caching;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword) : IJsonRequest<ChangePasswordRequest>;

/// <summary>
/// Changing the password while signed in: <c>POST /api/v1/account/password</c>. Needs a fresh sign-in with a second
/// factor and the current password; every other session ends, this one stays.
/// </summary>
public static class PasswordApi
{
    public const string Path = "/api/v1/account/password";
    public const string PasswordChangedSessionEndReason = SessionEndReasons.PasswordChanged;

    /// <summary>Wrong current passwords per account before a pause: the fresh token alone must not allow guessing it.</summary>
    public const int MaxWrongCurrentPasswords = 5;
    public static readonly TimeSpan WrongCurrentPasswordWindow = TimeSpan.FromMinutes(15);

    public static RouteHandlerBuilder MapPasswordApi(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, ChangeAsync).RequireAuthorization(Policies.Patient).DisableAntiforgery().WithTags("Account");

    public sealed record PasswordServices(
        UserManager<HealthUser> Users,
        AccountPasswords Passwords,
        SecurityEvents SecurityEvents,
        SessionStore Sessions,
        AccountNotices Notices,
        IKeyValueStore Store,
        TimeProvider Time,
        ILoggerFactory Logs);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Json<ChangePasswordRequest> body, ClaimsPrincipal principal, [AsParameters] PasswordServices s, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        AccountProblems.NoStore(http);
        if (await AccountProblems.OwnAccountAsync(principal, s.Users) is not { } user) return AccountProblems.OwnAccountOnly();
        if (!FreshSignIn.IsFresh(principal, s.Time)) return FreshSignIn.Required();

        var failuresKey = $"account:password-change-failures:{user.Id:D}";
        if (long.TryParse(await s.Store.GetAsync(failuresKey, ct), out var failures) && failures >= MaxWrongCurrentPasswords)
            return AccountProblems.Throttled(http, await s.Store.GetTimeToLiveAsync(failuresKey, ct) ?? WrongCurrentPasswordWindow,
                "Слишком много неверных попыток ввести текущий пароль. Повторите позже или восстановите пароль.");

        if (string.IsNullOrEmpty(request.CurrentPassword) || !await s.Users.CheckPasswordAsync(user, request.CurrentPassword))
        {
            await s.Store.IncrementAsync(failuresKey, WrongCurrentPasswordWindow, ct);
            await s.SecurityEvents.PublishAsync(SecurityEventKinds.PasswordChanged, user.Id, SecurityEvents.Failure,
                new Dictionary<string, string> { ["reason"] = "wrong_current_password" }, ct: ct);
            return Problems.Validation("currentPassword", "Текущий пароль введён неверно.");
        }
        if (request.NewPassword == request.CurrentPassword)
            return Problems.Validation("newPassword", "Новый пароль совпадает с текущим. Придумайте другой.");
        var errors = await s.Passwords.ValidateAsync(user, request.NewPassword);
        if (errors.Count > 0) return AccountProblems.PasswordRejected(errors, "newPassword");

        s.Passwords.Set(user, request.NewPassword!);
        s.SecurityEvents.Add(SecurityEventKinds.PasswordChanged, user.Id);
        var updated = await s.Users.UpdateAsync(user);
        if (!updated.Succeeded)
            return AccountProblems.Conflict("Учётная запись только что изменилась в другом окне. Повторите смену пароля.");
        await s.Store.DeleteAsync(failuresKey, ct);

        // Whoever else is signed in (perhaps the reason for the change) is signed out; this session continues.
        await s.Sessions.EndAllAsync(user.Id, PasswordChangedSessionEndReason, principal.GetSessionId(), ct);
        s.Logs.CreateLogger(typeof(PasswordApi)).LogInformation("Account {UserId} changed its password", user.Id);

        if (user is { PhoneNumber: { } phone, PhoneNumberConfirmed: true })
            await s.Notices.SendAsync(ContactChannel.Sms, phone, AccountNotices.PasswordChanged, ct);
        if (user is { Email: { } email, EmailConfirmed: true })
            await s.Notices.SendAsync(ContactChannel.Email, email, AccountNotices.PasswordChanged, ct);
        return TypedResults.NoContent();
    }
}
