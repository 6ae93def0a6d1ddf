using System.Globalization;
using System.Security.Cryptography;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Passkeys;
using Gosuslugi.Health.Identity.Security;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.SignIn;

/// <summary>The outcome of a second-factor check.</summary>
/// <param name="Reason">For the log and the security event: wrong_code, expired_code, totp_replay, ... (never the code).</param>
/// <param name="CountsAsAttempt">False when nothing was tried (an empty field): that is not a guess.</param>
/// <param name="AuthenticationMethods">RFC 8176 amr of the whole sign-in when it succeeded.</param>
public sealed record FactorCheck(bool Succeeded, string Reason, string? RussianError, bool CountsAsAttempt, IReadOnlyList<string> AuthenticationMethods)
{
    public static FactorCheck Passed(params string[] methods) => new(true, "", null, true, ["pwd", .. methods, "mfa"]);
    public static FactorCheck Failed(string reason, string russianError) => new(false, reason, russianError, true, []);
    public static FactorCheck NotTried(string russianError) => new(false, "empty", russianError, false, []);
}

/// <summary>
/// The second factors of a sign-in: which ones a person has, sending their SMS or e-mail code, and checking what they
/// answered — a TOTP code (accepted once: a replay is refused, logged and published), a one-time code of this
/// sign-in, or a passkey.
/// </summary>
public sealed class SecondFactors(
    IdentityDb db,
    TotpSecrets totpSecrets,
    OneTimeCodes codes,
    PasskeyFactor passkeys,
    SecurityEvents events,
    TimeProvider time,
    ILogger<SecondFactors> logger,
    OneTimeCodeLimits? limits = null)
{
    /// <summary>How long after one code the next may be sent to the same destination.</summary>
    public TimeSpan ResendInterval { get; } = (limits ?? OneTimeCodeLimits.Default).ResendInterval;

    /// <summary>The person's factors, the default first: an authenticator app, else SMS, else e-mail, else a passkey.</summary>
    public async Task<IReadOnlyList<SecondFactorKind>> AvailableAsync(HealthUser user)
    {
        var factors = new List<SecondFactorKind>(4);
        if (user is { TotpSecret: not null, TotpEnabledAt: not null }) factors.Add(SecondFactorKind.Totp);
        if (Destination(user, SecondFactorKind.Sms) is not null) factors.Add(SecondFactorKind.Sms);
        if (Destination(user, SecondFactorKind.Email) is not null) factors.Add(SecondFactorKind.Email);
        if (await passkeys.IsAvailableAsync(user)) factors.Add(SecondFactorKind.Passkey);
        return factors;
    }

    /// <summary>The confirmed phone or e-mail address a code goes to, or null.</summary>
    public static string? Destination(HealthUser user, SecondFactorKind factor) => factor switch
    {
        SecondFactorKind.Sms when user is { PhoneNumberConfirmed: true, PhoneNumber: { Length: > 0 } phone } => phone,
        SecondFactorKind.Email when user is { EmailConfirmed: true, Email: { Length: > 0 } email } => email,
        _ => null,
    };

    public static string? MaskedDestination(HealthUser user, SecondFactorKind factor) => Destination(user, factor) switch
    {
        null => null,
        var phone when factor == SecondFactorKind.Sms => SignInPages.MaskPhone(phone),
        var email => SignInPages.MaskEmail(email),
    };

    /// <summary>Sends a code of this sign-in to the factor's destination (throttled per destination by <see cref="OneTimeCodes"/>).</summary>
    public Task<CodeSendResult> SendCodeAsync(PendingSignIn pending, HealthUser user, CancellationToken ct)
    {
        var destination = Destination(user, pending.Factor) ?? throw new InvalidOperationException($"No destination for {pending.Factor}.");
        return codes.SendAsync(OneTimeCodePurpose.SignIn, pending.FlowId, user.Id, Channel(pending.Factor), destination, ct);
    }

    /// <summary>The passkey request options (JSON) for the page.</summary>
    public Task<string> BeginPasskeyAsync(HealthUser user, HttpContext http, CancellationToken ct) => passkeys.BeginAssertionAsync(user, http, ct);

    public async Task<FactorCheck> VerifyAsync(PendingSignIn pending, HealthUser user, string? code, string? credential, HttpContext http, CancellationToken ct)
    {
        switch (pending.Factor)
        {
            case SecondFactorKind.Passkey:
                if (string.IsNullOrWhiteSpace(credential)) return FactorCheck.NotTried("Нажмите «Войти с ключом доступа» и подтвердите вход на устройстве.");
                return await passkeys.CompleteAssertionAsync(user, credential, http, ct)
                    ? FactorCheck.Passed(PasskeyFactor.AuthenticationMethod)
                    : FactorCheck.Failed("passkey_refused", "Ключ доступа не подошёл. Попробуйте ещё раз или выберите другой способ.");

            case SecondFactorKind.Totp:
                if (NormalizeCode(code) is not { } totpCode) return FactorCheck.NotTried("Введите 6 цифр кода из приложения.");
                return await VerifyTotpAsync(user, totpCode, ct);

            default:
                if (NormalizeCode(code) is not { } oneTimeCode) return FactorCheck.NotTried(CodeMessages.Missing);
                var result = await codes.VerifyAsync(OneTimeCodePurpose.SignIn, pending.FlowId, Channel(pending.Factor), oneTimeCode, ct);
                return result switch
                {
                    CodeCheckResult.Valid => FactorCheck.Passed(pending.Factor == SecondFactorKind.Sms ? "sms" : "otp"),
                    CodeCheckResult.Expired => FactorCheck.Failed("expired_code", CodeMessages.Of(result)),
                    CodeCheckResult.AlreadyUsed => FactorCheck.Failed("used_code", CodeMessages.Of(result)),
                    CodeCheckResult.TooManyAttempts => FactorCheck.Failed("burnt_code", CodeMessages.Of(result)),
                    _ => FactorCheck.Failed("wrong_code", CodeMessages.Of(result)),
                };
        }
    }

    /// <summary>
    /// RFC 6238 with one step of drift either side, accepted once: the matched step must be later than the last one
    /// accepted, and is recorded in the same statement (so two requests racing with one code cannot both pass).
    /// </summary>
    private async Task<FactorCheck> VerifyTotpAsync(HealthUser user, string code, CancellationToken ct)
    {
        string secret;
        try
        {
            secret = totpSecrets.Unprotect(user.TotpSecret!);
        }
        catch (CryptographicException ex)
        {
            logger.LogError(ex, "The TOTP secret of {UserId} cannot be read", user.Id);
            // Not the person's fault, and nothing they typed was checked: not counted towards the lockout.
            return new FactorCheck(false, "totp_unreadable", "Код из приложения сейчас не принимается. Выберите другой способ подтверждения.",
                CountsAsAttempt: false, []);
        }

        if (!TotpCodes.TryMatch(secret, code, time.GetUtcNow(), out var step))
            return FactorCheck.Failed("wrong_code", "Неверный код. Введите текущий код из приложения; проверьте, что время на телефоне точное.");

        var stamp = Guid.NewGuid().ToString();
        var accepted = await db.Users
            .Where(u => u.Id == user.Id && (u.TotpLastStep == null || u.TotpLastStep < step))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.TotpLastStep, step)
                // A stale copy of the user saved later must fail rather than move the last step back.
                .SetProperty(u => u.ConcurrencyStamp, stamp), ct);
        if (accepted == 1)
        {
            db.Mirror(user, u =>
            {
                u.TotpLastStep = step;
                u.ConcurrencyStamp = stamp;
            });
            return FactorCheck.Passed("otp");
        }

        // The right code, but of a step already used: someone saw it (over a shoulder, by phishing) and replays it.
        logger.LogWarning("TOTP replay refused for user {UserId}: step {Step} was already used", user.Id, step);
        await events.PublishAsync(SecurityEventKinds.TotpReplayRejected, user.Id, SecurityEvents.Failure,
            new Dictionary<string, string> { ["step"] = step.ToString(CultureInfo.InvariantCulture) }, ct: ct);
        return FactorCheck.Failed("totp_replay", "Этот код уже использован. Дождитесь следующего кода в приложении и введите его.");
    }

    public static ContactChannel Channel(SecondFactorKind factor) =>
        factor == SecondFactorKind.Email ? ContactChannel.Email : ContactChannel.Sms;

    /// <summary>The 6 digits, without the spaces or hyphens people type between them; null when it is not 6 digits.</summary>
    public static string? NormalizeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var digits = new string([.. code.Where(c => c is not (' ' or '-'))]);
        return digits.Length == TotpCodes.Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
