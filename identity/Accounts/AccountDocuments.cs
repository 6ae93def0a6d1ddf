using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Identity.Audit;
using Gosuslugi.Health.Identity.Data;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Identity.Security;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Identity.Accounts;

public sealed record PassportInput(string? Series, string? Number, DateOnly? IssuedOn);

public sealed record OmsPolicyInput(string? Number, string? Insurer, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>
/// SNILS, passport and OMS policy. A document left out (null) stays as it is: documents are corrected, never removed,
/// because services already know the person by their SNILS.
/// </summary>
public sealed record DocumentsRequest(string? Snils, PassportInput? Passport, OmsPolicyInput? OmsPolicy) : IJsonRequest<DocumentsRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<DocumentsRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["passport.issuedOn"] = RequestFormats.Date("Дата выдачи паспорта"),
        ["omsPolicy.validFrom"] = RequestFormats.Date("Начало действия полиса"),
        ["omsPolicy.validTo"] = RequestFormats.Date("Окончание действия полиса"),
    };
}

public enum DocumentsOutcome { Saved, Invalid, Conflict }

public sealed record DocumentsResult(DocumentsOutcome Outcome, IDictionary<string, string[]>? Errors = null, string? Detail = null);

/// <summary>
/// Entering identity documents moves an account from simplified to standard once all three are there. A confirmed
/// account stays confirmed when only the OMS policy changes; a new SNILS or passport means a different identity to
/// verify, so it drops back to standard.
/// </summary>
public sealed class AccountDocuments(IdentityDb db, PersonDocuments personDocuments, SecurityEvents securityEvents, TimeProvider time,
    ILogger<AccountDocuments> logger)
{
    public const int MaxInsurerLength = 300;

    /// <summary>A Russian passport is issued from the age of 14.</summary>
    public const int PassportAge = 14;

    public async Task<DocumentsResult> UpdateAsync(HealthUser user, DocumentsRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (request.Snils is null && request.Passport is null && request.OmsPolicy is null)
            return Invalid("documents", "Укажите хотя бы один документ: СНИЛС, паспорт или полис ОМС.");

        string? snils = null;
        if (request.Snils is not null && !Snils.TryNormalize(request.Snils, out snils))
            errors["snils"] = ["СНИЛС указан неверно: нужно 11 цифр, последние две — контрольное число. Проверьте номер по карточке СНИЛС."];

        string? series = null, number = null;
        if (request.Passport is { } passport)
        {
            if (!Passport.TryNormalize(passport.Series, passport.Number, out series, out number))
                errors["passport"] = ["Серия паспорта — 4 цифры, номер — 6 цифр."];
            if (passport.IssuedOn is not { } issuedOn)
                errors["passport.issuedOn"] = ["Укажите дату выдачи паспорта."];
            else if (issuedOn > today)
                errors["passport.issuedOn"] = ["Дата выдачи паспорта не может быть в будущем."];
            else if (user.BirthDate is { } birthDate && issuedOn < birthDate.AddYears(PassportAge))
                errors["passport.issuedOn"] = ["Паспорт выдаётся с 14 лет: проверьте дату выдачи и дату рождения."];
        }

        string? omsNumber = null, insurer = null;
        if (request.OmsPolicy is { } oms)
        {
            if (!OmsPolicy.TryNormalize(oms.Number, out omsNumber))
                errors["omsPolicy.number"] = ["Номер полиса ОМС — 16 цифр."];
            insurer = oms.Insurer?.Trim();
            if (string.IsNullOrEmpty(insurer))
                errors["omsPolicy.insurer"] = ["Укажите страховую медицинскую организацию, выдавшую полис."];
            else if (insurer.Length > MaxInsurerLength || insurer.Any(char.IsControl))
                errors["omsPolicy.insurer"] = [$"Название страховой организации — не длиннее {MaxInsurerLength} символов, без управляющих символов."];
            if (oms.ValidFrom is not { } validFrom)
                errors["omsPolicy.validFrom"] = ["Укажите дату начала действия полиса."];
            else if (validFrom > today)
                errors["omsPolicy.validFrom"] = ["Дата начала действия полиса не может быть в будущем."];
            else if (oms.ValidTo is { } validTo && validTo < validFrom)
                errors["omsPolicy.validTo"] = ["Дата окончания действия полиса не может быть раньше даты начала."];
        }
        if (errors.Count > 0) return new DocumentsResult(DocumentsOutcome.Invalid, errors);

        // Stored sealed: what is there now is opened to compare with (a value that does not open is a 503, not "none").
        var current = await personDocuments.OpenAsync(user, ct);

        // Uniqueness is also guarded by unique indexes; asking first gives the person a clear answer.
        if (snils is not null && snils != user.Snils && await db.Users.AnyAsync(u => u.Snils == snils && u.Id != user.Id, ct))
            errors["snils"] = ["Этот СНИЛС уже указан в другой учётной записи. Если это ваш СНИЛС, обратитесь в центр обслуживания."];
        if (omsNumber is not null && omsNumber != current.OmsPolicy?.Number
            && await personDocuments.OmsPolicyNumberIndexAsync(omsNumber, ct) is var omsIndex
            && await db.Users.AnyAsync(u => u.OmsPolicyNumberIndex == omsIndex && u.Id != user.Id, ct))
            errors["omsPolicy.number"] = ["Этот полис ОМС уже указан в другой учётной записи. Если это ваш полис, обратитесь в центр обслуживания."];
        if (errors.Count > 0) return new DocumentsResult(DocumentsOutcome.Invalid, errors);

        var now = time.GetUtcNow();
        var previousLevel = user.Level;
        var snilsBefore = user.Snils;
        var changed = new List<string>();
        var identityChanged = false;
        if (snils is not null && snils != user.Snils)
        {
            user.Snils = snils;
            changed.Add("snils");
            identityChanged = true;
        }
        if (series is not null && new PassportDetails(series, number!, request.Passport!.IssuedOn) is var newPassport && newPassport != current.Passport)
        {
            identityChanged |= series != current.Passport?.Series || number != current.Passport?.Number;
            await personDocuments.SealAsync(user, newPassport, ct);
            changed.Add("passport");
        }
        var policy = current.OmsPolicy;
        if (omsNumber is not null && new OmsPolicyDetails(omsNumber, insurer, request.OmsPolicy!.ValidFrom, request.OmsPolicy.ValidTo) is var newPolicy
            && newPolicy != current.OmsPolicy)
        {
            policy = newPolicy;
            await personDocuments.SealAsync(user, policy, ct);
            changed.Add("omsPolicy");
        }
        if (changed.Count == 0) return new DocumentsResult(DocumentsOutcome.Saved);

        var complete = user.Snils is not null && user.Passport is not null && user.OmsPolicy is not null;
        if (complete && (user.Level == AccountLevel.Simplified || (user.Level == AccountLevel.Confirmed && identityChanged)))
        {
            user.Level = AccountLevel.Standard;
            user.LevelConfirmedAt = null;
            user.LevelConfirmedBy = null;
        }
        // Optimistic concurrency: Identity's stamp is the concurrency token of the users table.
        user.ConcurrencyStamp = Guid.NewGuid().ToString();

        securityEvents.Add(SecurityEventKinds.ProfileChanged, user.Id,
            details: new Dictionary<string, string> { ["documents"] = string.Join(",", changed) });
        if (user.Level != previousLevel)
        {
            db.AddOutboxEvent(new AccountLevelChanged(user.Id, AccountClaims.LevelValue(user.Level), now));
            securityEvents.Add(SecurityEventKinds.AccountLevelChanged, user.Id, details: new Dictionary<string, string>
            {
                ["from"] = AccountClaims.LevelValue(previousLevel),
                ["to"] = AccountClaims.LevelValue(user.Level),
                ["reason"] = "documents",
            });
        }
        // Booking a doctor needs a policy in force: Appointments keeps a copy of its dates.
        if (changed.Contains("omsPolicy")) db.AddOmsPolicyChanged(user.Id, policy, now);
        // Services that receive data by SNILS learn it (or its correction) from the event they already consume.
        if (user.Snils is not null && user.Snils != snilsBefore)
        {
            db.AddOutboxEvent(new PatientRegistered(user.Id, user.Snils, user.FamilyName, user.GivenName, user.MiddleName,
                user.BirthDate ?? default, now));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new DocumentsResult(DocumentsOutcome.Conflict, Detail: "Профиль только что изменился в другом окне. Обновите страницу и повторите.");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return new DocumentsResult(DocumentsOutcome.Conflict,
                Detail: "СНИЛС или полис ОМС уже указан в другой учётной записи. Если это ваш документ, обратитесь в центр обслуживания.");
        }
        logger.LogInformation("Account {UserId} documents changed ({Documents}); level {Level}", user.Id, string.Join(",", changed), user.Level);
        return new DocumentsResult(DocumentsOutcome.Saved);
    }

    private static DocumentsResult Invalid(string field, string message) =>
        new(DocumentsOutcome.Invalid, new Dictionary<string, string[]> { [field] = [message] });
}
