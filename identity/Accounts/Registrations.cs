using System.Text.RegularExpressions;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Identity;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record RegistrationRequest(
    string? FamilyName,
    string? GivenName,
    string? MiddleName,
    DateOnly? BirthDate,
    string? Phone,
    string? Email,
    string? Password,
    bool? PersonalDataConsent,
    string? ConsentVersion) : IJsonRequest<RegistrationRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<RegistrationRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["birthDate"] = RequestFormats.Date("Дата рождения"),
        ["personalDataConsent"] = "Согласие на обработку персональных данных указывается значением true или false.",
    };
}

public sealed record RegistrationConfirmation(string? SmsCode, string? EmailCode) : IJsonRequest<RegistrationConfirmation>;

public sealed record ResendCodeRequest(string? Channel) : IJsonRequest<ResendCodeRequest>;

public sealed record RegistrationStarted(Guid RegistrationId, DateTimeOffset ExpiresAt);

public sealed record RegisteredAccount(Guid UserId, string Level);

public enum RegistrationOutcome { Started, Invalid, Throttled, NotFound, Registered, ContactTaken }

public sealed record RegistrationResult(
    RegistrationOutcome Outcome,
    RegistrationStarted? Started = null,
    RegisteredAccount? Account = null,
    IDictionary<string, string[]>? Errors = null,
    TimeSpan RetryAfter = default);

/// <summary>
/// Registration with a phone number and an e-mail address, each proved by a one-time code. Until both codes are entered
/// the registration lives only in Redis (30 minutes, the password already hashed); the account, its patient role, the
/// consent and their events are then written in one transaction.
/// </summary>
/// <remarks>
/// Whether a phone or address already belongs to someone is never said in the answer: the registration looks the same,
/// but that contact gets "you already have an account" instead of a code, so only its owner learns anything.
/// </remarks>
public sealed partial class Registrations(
    IdentityDb db,
    UserManager<HealthUser> users,
    AccountProvisioning provisioning,
    AccountDirectory directory,
    OneTimeCodes codes,
    AccountNotices notices,
    PendingFlows flows,
    PersonalDataConsents consents,
    SecurityEvents securityEvents,
    IHttpContextAccessor http,
    TimeProvider time,
    ILogger<Registrations> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const int MaxNameLength = 100;

    /// <summary>From 14 a person registers themselves; a younger child's account is a guardian's affair.</summary>
    public const int MinimumAge = 14;
    public const int MaximumAge = 130;

    private sealed record PendingRegistration(
        Guid Id,
        string FamilyName,
        string GivenName,
        string? MiddleName,
        DateOnly BirthDate,
        string Phone,
        string Email,
        string PasswordHash,
        string ConsentVersion,
        string? IpAddress,
        bool PhoneTaken,
        bool EmailTaken,
        bool PhoneConfirmed,
        bool EmailConfirmed,
        DateTimeOffset ExpiresAt);

    private static string Key(Guid id) => $"account:registration:{id:D}";

    public async Task<RegistrationResult> StartAsync(RegistrationRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var familyName = Name(request.FamilyName, "familyName", "фамилию", errors, required: true);
        var givenName = Name(request.GivenName, "givenName", "имя", errors, required: true);
        var middleName = Name(request.MiddleName, "middleName", "отчество", errors, required: false);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (request.BirthDate is not { } birthDate)
            errors["birthDate"] = ["Укажите дату рождения."];
        else if (birthDate > today || birthDate < today.AddYears(-MaximumAge))
            errors["birthDate"] = ["Проверьте дату рождения."];
        else if (birthDate > today.AddYears(-MinimumAge))
            errors["birthDate"] = ["Зарегистрироваться самостоятельно можно с 14 лет. Учётную запись ребёнка создаёт законный представитель в своём личном кабинете."];

        if (!PhoneNumbers.TryNormalize(request.Phone, out var phone))
            errors["phone"] = ["Укажите российский номер мобильного телефона, например +7 912 345-67-89."];
        if (!EmailAddresses.TryNormalize(request.Email, out var email))
            errors["email"] = ["Укажите адрес электронной почты, например ivanova@mail.ru."];
        if (request.PersonalDataConsent != true)
            errors["personalDataConsent"] = ["Без согласия на обработку персональных данных регистрация невозможна."];
        else if (request.ConsentVersion != PersonalDataConsentText.CurrentVersion)
            errors["consentVersion"] = [$"Согласие даётся на действующую редакцию {PersonalDataConsentText.CurrentVersion}: прочитайте её текст и повторите."];

        // The password is checked against the login, phone and e-mail it will live with.
        var probe = new HealthUser { FamilyName = familyName ?? "", GivenName = givenName ?? "", UserName = phone, PhoneNumber = phone, Email = email };
        var passwordErrors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, request.Password);
            if (!result.Succeeded) passwordErrors.AddRange(result.Errors);
        }
        if (passwordErrors.Count > 0) errors["password"] = [string.Join(" ", passwordErrors.Select(e => e.Description).Distinct())];
        if (errors.Count > 0) return new RegistrationResult(RegistrationOutcome.Invalid, Errors: errors);

        var id = Guid.CreateVersion7();
        var pending = new PendingRegistration(
            id, familyName!, givenName!, middleName, request.BirthDate!.Value, phone!, email!,
            users.PasswordHasher.HashPassword(probe, request.Password!), request.ConsentVersion!,
            http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            PhoneTaken: await directory.PhoneTakenAsync(phone!, null, ct),
            EmailTaken: await directory.EmailTakenAsync(email!, null, ct),
            PhoneConfirmed: false, EmailConfirmed: false,
            ExpiresAt: time.GetUtcNow() + Lifetime);

        // The phone first: when it is throttled (a double submit) nothing is stored and nothing else is sent.
        var sms = await SendAsync(pending, ContactChannel.Sms, ct);
        if (sms.Throttled) return new RegistrationResult(RegistrationOutcome.Throttled, RetryAfter: sms.RetryAfter);
        // An e-mail throttled after the SMS went out is sent again with .../codes once the pause is over.
        await SendAsync(pending, ContactChannel.Email, ct);

        await flows.SaveAsync(Key(id), pending, pending.ExpiresAt, ct);
        logger.LogInformation("Registration {RegistrationId} started", id);
        return new RegistrationResult(RegistrationOutcome.Started, new RegistrationStarted(id, pending.ExpiresAt));
    }

    public async Task<RegistrationResult> ResendAsync(Guid id, string? channelName, CancellationToken ct)
    {
        if (await flows.GetAsync<PendingRegistration>(Key(id), ct) is not { } pending)
            return new RegistrationResult(RegistrationOutcome.NotFound);
        if (ParseChannel(channelName) is not { } channel)
            return Invalid("channel", "Укажите, куда отправить код: sms или email.");
        if (channel == ContactChannel.Sms ? pending.PhoneConfirmed : pending.EmailConfirmed)
            return Invalid("channel", "Этот контакт уже подтверждён.");

        var sent = await SendAsync(pending, channel, ct);
        return sent.Throttled
            ? new RegistrationResult(RegistrationOutcome.Throttled, RetryAfter: sent.RetryAfter)
            : new RegistrationResult(RegistrationOutcome.Started, new RegistrationStarted(id, pending.ExpiresAt));
    }

    public async Task<RegistrationResult> ConfirmAsync(Guid id, RegistrationConfirmation request, CancellationToken ct)
    {
        if (await flows.GetAsync<PendingRegistration>(Key(id), ct) is not { } pending)
            return new RegistrationResult(RegistrationOutcome.NotFound);

        // A code accepted once stays accepted for this registration (it is used up), so a retry needs only the other one.
        var errors = new Dictionary<string, string[]>();
        var phoneConfirmed = pending.PhoneConfirmed || await CheckAsync(id, ContactChannel.Sms, request.SmsCode, "smsCode", errors, ct);
        var emailConfirmed = pending.EmailConfirmed || await CheckAsync(id, ContactChannel.Email, request.EmailCode, "emailCode", errors, ct);
        if (phoneConfirmed != pending.PhoneConfirmed || emailConfirmed != pending.EmailConfirmed)
        {
            pending = pending with { PhoneConfirmed = phoneConfirmed, EmailConfirmed = emailConfirmed };
            await flows.SaveAsync(Key(id), pending, pending.ExpiresAt, ct);
        }
        if (errors.Count > 0) return new RegistrationResult(RegistrationOutcome.Invalid, Errors: errors);
        // A taken contact never received a code, so it cannot be confirmed; this is a guard, not a path.
        if (!phoneConfirmed || !emailConfirmed || pending.PhoneTaken || pending.EmailTaken)
            return Invalid(pending.PhoneTaken ? "smsCode" : "emailCode", CodeMessages.Of(CodeCheckResult.Invalid));

        // Taking the registration makes it single-use: of two concurrent confirmations only one creates an account.
        if (await flows.TakeAsync<PendingRegistration>(Key(id), ct) is null) return new RegistrationResult(RegistrationOutcome.NotFound);
        var account = await CreateAccountAsync(pending, ct);
        return account is null
            ? new RegistrationResult(RegistrationOutcome.ContactTaken)
            : new RegistrationResult(RegistrationOutcome.Registered, Account: account);
    }

    private async Task<RegisteredAccount?> CreateAccountAsync(PendingRegistration pending, CancellationToken ct)
    {
        await provisioning.EnsureRolesAsync(ct);
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await directory.LockContactsAsync([pending.Phone, pending.Email], ct);
        // Another registration (or a contact change) may have claimed a contact since the codes were sent.
        if (await directory.PhoneTakenAsync(pending.Phone, null, ct) || await directory.EmailTakenAsync(pending.Email, null, ct))
        {
            logger.LogInformation("Registration {RegistrationId} refused: a contact was claimed meanwhile", pending.Id);
            return null;
        }

        var now = time.GetUtcNow();
        var user = new HealthUser
        {
            UserName = pending.Phone,
            PhoneNumber = pending.Phone,
            PhoneNumberConfirmed = true,
            Email = pending.Email,
            EmailConfirmed = true,
            PasswordHash = pending.PasswordHash,
            FamilyName = pending.FamilyName,
            GivenName = pending.GivenName,
            MiddleName = pending.MiddleName,
            BirthDate = pending.BirthDate,
            Level = AccountLevel.Simplified,
            LockoutEnabled = true,
            CreatedAt = now,
        };
        Check(await users.CreateAsync(user));
        Check(await users.AddToRoleAsync(user, HealthRoles.Patient));
        consents.Add(user.Id, pending.ConsentVersion, now, pending.IpAddress);
        // Both contacts were confirmed by their codes.
        db.AddContactDetailsChanged(user, now);
        securityEvents.Add(SecurityEventKinds.AccountRegistered, user.Id,
            details: new Dictionary<string, string> { ["level"] = AccountClaims.LevelValue(user.Level) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Registration {RegistrationId} created account {UserId}", pending.Id, user.Id);
        return new RegisteredAccount(user.Id, AccountClaims.LevelValue(user.Level));
    }

    private async Task<(bool Throttled, TimeSpan RetryAfter)> SendAsync(PendingRegistration pending, ContactChannel channel, CancellationToken ct)
    {
        var (destination, taken) = channel == ContactChannel.Sms ? (pending.Phone, pending.PhoneTaken) : (pending.Email, pending.EmailTaken);
        if (taken)
        {
            var notice = await notices.SendThrottledAsync(channel, destination, AccountNotices.AlreadyRegistered(channel), ct);
            return (notice.Result == NoticeResult.Throttled, notice.RetryAfter);
        }
        var sent = await codes.SendAsync(OneTimeCodePurpose.Registration, pending.Id, null, channel, destination, ct);
        return (sent.Throttled, sent.RetryAfter);
    }

    private async Task<bool> CheckAsync(Guid id, ContactChannel channel, string? code, string field, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors[field] = [CodeMessages.Missing];
            return false;
        }
        var result = await codes.VerifyAsync(OneTimeCodePurpose.Registration, id, channel, code.Trim(), ct);
        if (result == CodeCheckResult.Valid) return true;
        errors[field] = [CodeMessages.Of(result)];
        return false;
    }

    public static ContactChannel? ParseChannel(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "sms" or "phone" => ContactChannel.Sms,
        "email" => ContactChannel.Email,
        _ => null,
    };

    private static string? Name(string? value, string field, string what, Dictionary<string, string[]> errors, bool required)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (required) errors[field] = [$"Укажите {what}."];
            return null;
        }
        name = WhiteSpace().Replace(name, " ");
        if (name.Length > MaxNameLength || !PersonName().IsMatch(name))
        {
            errors[field] = [$"Проверьте {what}: только буквы, пробел, дефис и апостроф, не длиннее {MaxNameLength} символов."];
            return null;
        }
        return name;
    }

    private static RegistrationResult Invalid(string field, string message) =>
        new(RegistrationOutcome.Invalid, Errors: new Dictionary<string, string[]> { [field] = [message] });

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Could not create the registered account: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’ .\-]*$")]
    private static partial Regex PersonName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
