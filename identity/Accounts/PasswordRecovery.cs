using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.Identity.Sessions;
using Gosuslugi.Health.Identity.SignIn;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record RecoveryRequest(string? Login) : IJsonRequest<RecoveryRequest>;

public sealed record RecoveryStarted(Guid RecoveryId, DateTimeOffset ExpiresAt);

/// <param name="Code">The code sent to the confirmed phone (or e-mail, when there is no phone).</param>
/// <param name="SecondFactorCode">The authenticator app's code when the person has one, else the code sent to the other channel.</param>
public sealed record RecoveryVerificationRequest(string? Code, string? SecondFactorCode) : IJsonRequest<RecoveryVerificationRequest>;

public sealed record RecoveryVerified(string ResetToken, DateTimeOffset ExpiresAt);

public sealed record RecoveryPasswordRequest(string? ResetToken, string? NewPassword) : IJsonRequest<RecoveryPasswordRequest>;

public enum RecoveryOutcome { Started, Verified, PasswordSet, Invalid, NotFound }

public sealed record RecoveryResult(
    RecoveryOutcome Outcome,
    RecoveryStarted? Started = null,
    RecoveryVerified? Verified = null,
    IDictionary<string, string[]>? Errors = null);

/// <summary>
/// Password recovery with two factors: a code to a confirmed channel, and the authenticator app (or a code to the other
/// confirmed channel). The answer to "recover this login" is the same whether the account exists or not. Success sets a
/// new password, lifts a lockout, ends every session and tells the person on their channels.
/// </summary>
public sealed class PasswordRecovery(
    IdentityDb db,
    UserManager<HealthUser> users,
    AccountDirectory directory,
    AccountPasswords passwords,
    OneTimeCodes codes,
    TotpSecrets totpSecrets,
    AccountNotices notices,
    PendingFlows flows,
    SessionStore sessions,
    AccountLockout lockout,
    SecurityEvents securityEvents,
    TimeProvider time,
    ILogger<PasswordRecovery> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResetTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Wrong entries per recovery before it is burned; the codes have their own limit, the authenticator app needs this one.</summary>
    public const int MaxFailedAttempts = 5;

    public const string RecoveredSessionEndReason = "password_recovered";
    public const string TotpFactor = "totp";

    /// <param name="UserId">Null when the login matched no account that can be recovered online: the flow then never succeeds.</param>
    /// <param name="SecondFactor">"totp", "sms" or "email".</param>
    private sealed record PendingRecovery(
        Guid Id,
        Guid? UserId,
        ContactChannel PrimaryChannel,
        string SecondFactor,
        bool PrimaryPassed,
        bool SecondPassed,
        int FailedAttempts,
        DateTimeOffset ExpiresAt);

    private sealed record ResetGrant(Guid UserId, Guid RecoveryId);

    private static string Key(Guid id) => $"account:recovery:{id:D}";
    private static string ResetKey(string token) => "account:recovery-reset:" + PendingFlows.Hash(token);

    public async Task<RecoveryResult> StartAsync(string? login, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(login) || login.Length > 256)
            return Invalid("login", "Укажите номер телефона, адрес электронной почты или СНИЛС, указанные в учётной записи.");

        var id = Guid.CreateVersion7();
        var expiresAt = time.GetUtcNow() + Lifetime;
        var user = await directory.FindByLoginAsync(login, ct);
        var pending = new PendingRecovery(id, null, ContactChannel.Sms, "", false, false, 0, expiresAt);

        var phone = user is { PhoneNumberConfirmed: true, PhoneNumber: { } p } ? p : null;
        var email = user is { EmailConfirmed: true, Email: { } e } ? e : null;
        if (user is not null && (phone ?? email) is { } primaryDestination)
        {
            var primary = phone is not null ? ContactChannel.Sms : ContactChannel.Email;
            var hasTotp = user.TotpSecret is not null && user.TotpEnabledAt is not null;
            var second = hasTotp ? TotpFactor
                : primary == ContactChannel.Sms && email is not null ? "email"
                : null;
            if (second is null)
            {
                // One channel and no authenticator: two factors are impossible online, and the person is told where to go.
                await notices.SendThrottledAsync(primary, primaryDestination, AccountNotices.RecoveryNeedsServiceCentre, ct);
                logger.LogInformation("Recovery {RecoveryId} cannot proceed online: account {UserId} has one factor", id, user.Id);
            }
            else
            {
                pending = pending with { UserId = user.Id, PrimaryChannel = primary, SecondFactor = second };
                // A throttled send is not reported: the answer must not depend on the account. The person asks again later.
                await codes.SendAsync(OneTimeCodePurpose.Recovery, id, user.Id, primary, primaryDestination, ct);
                if (second == "email") await codes.SendAsync(OneTimeCodePurpose.Recovery, id, user.Id, ContactChannel.Email, email!, ct);
            }
        }
        await flows.SaveAsync(Key(id), pending, expiresAt, ct);
        return new RecoveryResult(RecoveryOutcome.Started, new RecoveryStarted(id, expiresAt));
    }

    public async Task<RecoveryResult> VerifyAsync(Guid id, RecoveryVerificationRequest request, CancellationToken ct)
    {
        if (await flows.GetAsync<PendingRecovery>(Key(id), ct) is not { } pending) return new RecoveryResult(RecoveryOutcome.NotFound);

        var errors = new Dictionary<string, string[]>();
        var primaryPassed = pending.PrimaryPassed;
        var secondPassed = pending.SecondPassed;
        if (pending.UserId is not { } userId || await users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            // No account behind the flow: the same answer as a wrong code.
            errors["code"] = [CodeMessages.Of(CodeCheckResult.Invalid)];
        }
        else
        {
            if (!primaryPassed)
            {
                if (string.IsNullOrWhiteSpace(request.Code)) errors["code"] = [CodeMessages.Missing];
                else
                {
                    var check = await codes.VerifyAsync(OneTimeCodePurpose.Recovery, id, pending.PrimaryChannel, request.Code.Trim(), ct);
                    primaryPassed = check == CodeCheckResult.Valid;
                    if (!primaryPassed) errors["code"] = [CodeMessages.Of(check)];
                }
            }
            if (!secondPassed)
            {
                if (string.IsNullOrWhiteSpace(request.SecondFactorCode)) errors["secondFactorCode"] = [CodeMessages.Missing];
                else if (pending.SecondFactor == TotpFactor)
                {
                    secondPassed = await CheckTotpAsync(user, request.SecondFactorCode.Trim(), ct);
                    if (!secondPassed) errors["secondFactorCode"] = ["Неверный код из приложения-аутентификатора. Дождитесь нового кода и введите его."];
                }
                else
                {
                    var check = await codes.VerifyAsync(OneTimeCodePurpose.Recovery, id, ContactChannel.Email, request.SecondFactorCode.Trim(), ct);
                    secondPassed = check == CodeCheckResult.Valid;
                    if (!secondPassed) errors["secondFactorCode"] = [CodeMessages.Of(check)];
                }
            }
        }

        if (errors.Count > 0)
        {
            var failed = pending.FailedAttempts + 1;
            await securityEvents.PublishAsync(SecurityEventKinds.PasswordRecovered, pending.UserId, SecurityEvents.Failure,
                new Dictionary<string, string> { ["stage"] = "verification", ["secondFactor"] = pending.SecondFactor }, ct: ct);
            if (failed >= MaxFailedAttempts)
            {
                await flows.DeleteAsync(Key(id), ct);
                logger.LogInformation("Recovery {RecoveryId} burned after {Attempts} failed attempts", id, failed);
                return Invalid("code", "Слишком много неверных попыток. Начните восстановление заново.");
            }
            await flows.SaveAsync(Key(id), pending with { PrimaryPassed = primaryPassed, SecondPassed = secondPassed, FailedAttempts = failed },
                pending.ExpiresAt, ct);
            return new RecoveryResult(RecoveryOutcome.Invalid, Errors: errors);
        }

        // Both factors passed: the flow is used up, and what remains is a short-lived, single-use right to set the password.
        if (await flows.TakeAsync<PendingRecovery>(Key(id), ct) is null) return new RecoveryResult(RecoveryOutcome.NotFound);
        var token = PendingFlows.NewOpaqueValue();
        var expiresAt = time.GetUtcNow() + ResetTokenLifetime;
        await flows.SaveAsync(ResetKey(token), new ResetGrant(pending.UserId!.Value, id), expiresAt, ct);
        return new RecoveryResult(RecoveryOutcome.Verified, Verified: new RecoveryVerified(token, expiresAt));
    }

    public async Task<RecoveryResult> SetPasswordAsync(Guid id, RecoveryPasswordRequest request, CancellationToken ct)
    {
        const string staleToken = "Разрешение на смену пароля устарело или уже использовано. Начните восстановление заново.";
        if (string.IsNullOrEmpty(request.ResetToken) || request.ResetToken.Length > 100
            || await flows.GetAsync<ResetGrant>(ResetKey(request.ResetToken), ct) is not { } grant
            || grant.RecoveryId != id
            || await users.FindByIdAsync(grant.UserId.ToString()) is not { } user)
            return Invalid("resetToken", staleToken);

        // The policy first, so that a refused password does not use the token up.
        var errors = await passwords.ValidateAsync(user, request.NewPassword);
        if (errors.Count > 0)
            return Invalid("newPassword", string.Join(" ", errors.Select(e => e.Description).Distinct()));
        if (await flows.TakeAsync<ResetGrant>(ResetKey(request.ResetToken), ct) is null) return Invalid("resetToken", staleToken);

        passwords.Set(user, request.NewPassword!);
        // Recovery is the way to unlock early: the lockout and its growing series end here. An operator's lock stays.
        if (lockout.MayBeLiftedByRecovery(user))
        {
            user.LockoutEnd = null;
            user.ConsecutiveLockouts = 0;
        }
        user.AccessFailedCount = 0;
        securityEvents.Add(SecurityEventKinds.PasswordRecovered, user.Id);
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
            throw new InvalidOperationException("Could not save the recovered password: " + string.Join("; ", updated.Errors.Select(e => e.Code)));

        await sessions.EndAllAsync(user.Id, RecoveredSessionEndReason, null, ct);
        logger.LogInformation("Account {UserId} recovered its password", user.Id);
        if (user is { PhoneNumber: { } phone, PhoneNumberConfirmed: true })
            await notices.SendAsync(ContactChannel.Sms, phone, AccountNotices.PasswordRecovered, ct);
        if (user is { Email: { } email, EmailConfirmed: true })
            await notices.SendAsync(ContactChannel.Email, email, AccountNotices.PasswordRecovered, ct);
        return new RecoveryResult(RecoveryOutcome.PasswordSet);
    }

    /// <summary>
    /// The authenticator app's code, accepted once: the step it matched must be later than the last one accepted, and is
    /// recorded in the same statement that checks it, so two requests with one code cannot both pass.
    /// </summary>
    private async Task<bool> CheckTotpAsync(HealthUser user, string code, CancellationToken ct)
    {
        if (user.TotpSecret is null) return false;
        string secret;
        try { secret = totpSecrets.Unprotect(user.TotpSecret); }
        catch (CryptographicException)
        {
            logger.LogError("The TOTP secret of account {UserId} cannot be read", user.Id);
            return false;
        }
        if (!TotpCodes.TryMatch(secret, code, time.GetUtcNow(), out var step)) return false;

        var accepted = await db.Users
            .Where(u => u.Id == user.Id && (u.TotpLastStep == null || u.TotpLastStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpLastStep, step), ct);
        if (accepted == 1) return true;
        await securityEvents.PublishAsync(SecurityEventKinds.TotpReplayRejected, user.Id, SecurityEvents.Failure,
            new Dictionary<string, string> { ["flow"] = "recovery" }, ct: ct);
        logger.LogWarning("A replayed TOTP code was refused in the recovery of account {UserId}", user.Id);
        return false;
    }

    private static RecoveryResult Invalid(string field, string message) =>
        new(RecoveryOutcome.Invalid, Errors: new Dictionary<string, string[]> { [field] = [message] });
}
