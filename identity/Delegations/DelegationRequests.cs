using System.Text.RegularExpressions;
using Gosuslugi.Health.Identity.Accounts;
using Gosuslugi.Health.Identity.Domain;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Identity.Delegations;

public sealed record BirthCertificateRequest(string? Series, string? Number, DateOnly? IssuedOn);

/// <summary>POST /api/v1/account/children: a guardian links a child by the child's SNILS and birth certificate.</summary>
public sealed record LinkChildRequest(
    string? FamilyName,
    string? GivenName,
    string? MiddleName,
    DateOnly? BirthDate,
    string? Snils,
    string? Sex,
    BirthCertificateRequest? BirthCertificate) : IJsonRequest<LinkChildRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<LinkChildRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["birthDate"] = RequestFormats.Date("Дата рождения"),
        ["birthCertificate.issuedOn"] = RequestFormats.Date("Дата выдачи свидетельства о рождении"),
    };
}

public sealed record RepresentativeRequest(string? Snils);

public sealed record PowerOfAttorneyRequest(string? Number, DateOnly? IssuedOn);

/// <summary>POST /api/v1/account/delegations: a principal lets a representative act for them on a power of attorney.</summary>
public sealed record GrantDelegationRequest(
    RepresentativeRequest? Representative,
    PowerOfAttorneyRequest? PowerOfAttorney,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    string? Scope) : IJsonRequest<GrantDelegationRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<GrantDelegationRequest>.FormatMessages { get; } = new Dictionary<string, string>
    {
        ["powerOfAttorney.issuedOn"] = RequestFormats.Date("Дата выдачи доверенности"),
        ["validFrom"] = RequestFormats.Moment("Начало доступа"),
        ["validTo"] = RequestFormats.Moment("Окончание доступа"),
    };
}

public sealed record ValidChild(PersonName Name, DateOnly BirthDate, string Snils, string CertificateReference, DateOnly CertificateIssuedOn);

public sealed record ValidGrant(string RepresentativeSnils, string PowerOfAttorneyNumber, DateOnly PowerOfAttorneyIssuedOn,
    DateTimeOffset ValidFrom, DateTimeOffset ValidTo, DelegationScope Scope);

/// <summary>Checks of the delegation requests; messages are Russian, keys are the JSON field paths.</summary>
public static partial class DelegationRequestValidator
{
    public const int NameLength = 100;
    public const int PowerOfAttorneyNumberLength = 50;

    public static Dictionary<string, string[]> Validate(LinkChildRequest request, DateOnly today, out ValidChild? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);

        var familyName = Name(request.FamilyName, "familyName", required: true, Add);
        var givenName = Name(request.GivenName, "givenName", required: true, Add);
        var middleName = Name(request.MiddleName, "middleName", required: false, Add);

        if (request.BirthDate is not { } birthDate) Add("birthDate", "Укажите дату рождения ребёнка.");
        else if (birthDate > today) Add("birthDate", "Дата рождения не может быть в будущем.");
        else if (AccountCaller.AgeOn(birthDate, today) >= AccountCaller.AgeOfMajority)
            Add("birthDate", "Связать можно только ребёнка младше 18 лет. Совершеннолетний может выдать доверенность сам.");

        if (!Snils.TryNormalize(request.Snils, out var snils))
            Add("snils", "Укажите СНИЛС ребёнка: 11 цифр с верной контрольной суммой.");

        // Stored nowhere yet (the account has no such field); checked so that a typo is not silently accepted.
        if (request.Sex is not (null or "male" or "female")) Add("sex", "Пол указывается как male или female.");

        string? series = null, number = null;
        DateOnly issuedOn = default;
        if (request.BirthCertificate is not { } certificate)
        {
            Add("birthCertificate", "Укажите свидетельство о рождении: серию, номер и дату выдачи.");
        }
        else
        {
            series = certificate.Series?.Trim().ToUpperInvariant();
            if (series is null || !BirthCertificateSeries().IsMatch(series))
                Add("birthCertificate.series", "Серия свидетельства о рождении — римские цифры, дефис и две русские буквы, например IV-МЮ.");
            number = certificate.Number?.Trim();
            if (number is null || !SixDigits().IsMatch(number))
                Add("birthCertificate.number", "Номер свидетельства о рождении — 6 цифр.");
            if (certificate.IssuedOn is not { } issued) Add("birthCertificate.issuedOn", "Укажите дату выдачи свидетельства о рождении.");
            else if (issued > today) Add("birthCertificate.issuedOn", "Дата выдачи не может быть в будущем.");
            else if (request.BirthDate is { } born && issued < born)
                Add("birthCertificate.issuedOn", "Свидетельство о рождении не может быть выдано раньше даты рождения.");
            else issuedOn = issued;
        }

        valid = errors.Count == 0
            ? new ValidChild(new PersonName(familyName!, givenName!, middleName), request.BirthDate!.Value, snils!, $"{series} № {number}", issuedOn)
            : null;
        return errors;
    }

    public static Dictionary<string, string[]> Validate(GrantDelegationRequest request, DateTimeOffset now, TimeSpan maxPeriod, out ValidGrant? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        string? snils = null;
        if (request.Representative is null) Add("representative", "Укажите представителя: его СНИЛС.");
        else if (!Snils.TryNormalize(request.Representative.Snils, out snils))
            Add("representative.snils", "Укажите СНИЛС представителя: 11 цифр с верной контрольной суммой.");

        string? number = null;
        DateOnly issuedOn = default;
        if (request.PowerOfAttorney is not { } attorney)
        {
            Add("powerOfAttorney", "Укажите доверенность: номер и дату выдачи.");
        }
        else
        {
            number = attorney.Number?.Trim();
            if (string.IsNullOrEmpty(number)) Add("powerOfAttorney.number", "Укажите номер доверенности.");
            else if (number.Length > PowerOfAttorneyNumberLength)
                Add("powerOfAttorney.number", $"Номер доверенности — не длиннее {PowerOfAttorneyNumberLength} символов.");
            if (attorney.IssuedOn is not { } issued) Add("powerOfAttorney.issuedOn", "Укажите дату выдачи доверенности.");
            else if (issued > today) Add("powerOfAttorney.issuedOn", "Дата выдачи доверенности не может быть в будущем.");
            else issuedOn = issued;
        }

        if (!DelegationScopes.TryParse(request.Scope, out var scope))
            Add("scope", "Объём доступа: all (вся карта), limited (рецепты и результаты анализов) или manage (вся карта и запись к врачу).");

        var validFrom = request.ValidFrom ?? now;
        if (request.ValidTo is not { } validTo)
        {
            Add("validTo", "Укажите, до какого момента действует доступ.");
        }
        else if (validTo <= validFrom)
        {
            Add("validTo", "Окончание доступа должно быть позже его начала.");
        }
        else if (validTo <= now)
        {
            Add("validTo", "Окончание доступа уже прошло.");
        }
        else if (validTo - validFrom > maxPeriod)
        {
            Add("validTo", $"Доступ по доверенности выдаётся не более чем на {(int)(maxPeriod.TotalDays / 365)} лет.");
        }

        // The access cannot begin before the power of attorney exists (a day of slack for time zones).
        if (request.PowerOfAttorney?.IssuedOn is { } documentDate && DateOnly.FromDateTime(validFrom.UtcDateTime) < documentDate.AddDays(-1))
            Add("validFrom", "Доступ не может начинаться раньше даты выдачи доверенности.");

        valid = errors.Count == 0
            ? new ValidGrant(snils!, number!, issuedOn, validFrom.ToUniversalTime(), request.ValidTo!.Value.ToUniversalTime(), scope)
            : null;
        return errors;
    }

    private static string? Name(string? value, string field, bool required, Action<string, string> add)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (required) add(field, "Поле обязательно.");
            return null;
        }
        if (name.Length > NameLength) add(field, $"Не длиннее {NameLength} символов.");
        return name;
    }

    [GeneratedRegex("^[IVXLC]{1,6}-[А-ЯЁ]{2}$")]
    private static partial Regex BirthCertificateSeries();

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();
}
