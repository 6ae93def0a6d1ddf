using System.Text.RegularExpressions;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Immunizations.Api;

/// <summary>A request that passed the checks that need no database, with its values normalized.</summary>
public sealed record ValidRecordImmunization(
    string Snils,
    string? ExternalId,
    string VaccineCode,
    string VaccineName,
    string Disease,
    int? DoseNumber,
    string? Stage,
    string? LotNumber,
    DateOnly AdministeredOn,
    string? Route,
    string? Site,
    string? PerformerName);

/// <summary>
/// Checks a vaccination sent by a medical organization. Error keys are the JSON field names; messages
/// are in Russian because they reach the people who fix the data.
/// </summary>
public static partial class RecordImmunizationValidator
{
    // The calendar's earliest date still plausible for a record of a living patient.
    private static readonly DateOnly EarliestDate = new(1900, 1, 1);

    [GeneratedRegex("^(V[1-9]|R[1-9]?|RV[1-9]?)$")]
    internal static partial Regex StagePattern();

    /// <param name="latestDate">
    /// The latest date that is not in the future anywhere in the country (see <see cref="LatestAllowedDate"/>).
    /// </param>
    public static Dictionary<string, string[]> Validate(
        RecordImmunizationRequest request, DateOnly latestDate, out ValidRecordImmunization? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var snils = Trimmed(request.Snils);
        if (snils is null)
        {
            Fail("snils", "Укажите СНИЛС пациента.");
        }
        else
        {
            snils = Snils.Normalize(snils);
            switch (Snils.Check(snils))
            {
                case Snils.Problem.Format:
                    Fail("snils", "СНИЛС должен состоять из 11 цифр.");
                    break;
                case Snils.Problem.Checksum:
                    Fail("snils", "Неверная контрольная сумма СНИЛС.");
                    break;
            }
        }

        string? vaccineCode = null, vaccineName = null;
        if (request.Vaccine is null)
        {
            Fail("vaccine", "Укажите вакцину: код и наименование.");
        }
        else
        {
            vaccineCode = Required(request.Vaccine.Code, "vaccine.code", "Укажите код вакцины.",
                ImmunizationLimits.VaccineCode, Fail);
            vaccineName = Required(request.Vaccine.Name, "vaccine.name", "Укажите наименование вакцины.",
                ImmunizationLimits.VaccineName, Fail);
        }

        var disease = Required(request.Disease, "disease",
            "Укажите инфекцию, против которой проведена вакцинация.", ImmunizationLimits.Disease, Fail);

        if (request.AdministeredOn is not { } administeredOn)
        {
            Fail("administeredOn", "Укажите дату вакцинации.");
        }
        else if (administeredOn > latestDate)
        {
            Fail("administeredOn", "Дата вакцинации не может быть в будущем.");
        }
        else if (administeredOn < EarliestDate)
        {
            Fail("administeredOn", "Дата вакцинации не может быть раньше 01.01.1900.");
        }

        if (request.DoseNumber is { } dose && (dose < 1 || dose > ImmunizationLimits.MaxDoseNumber))
        {
            Fail("doseNumber", $"Номер дозы должен быть от 1 до {ImmunizationLimits.MaxDoseNumber}.");
        }

        var stage = Trimmed(request.Stage)?.ToUpperInvariant();
        if (stage is not null && !StagePattern().IsMatch(stage))
        {
            Fail("stage", "Этап указывается как V1–V9 (вакцинация) или R, R1–R9, RV, RV1–RV9 (ревакцинация).");
        }

        var externalId = Optional(request.ExternalId, "externalId", ImmunizationLimits.ExternalId, Fail);
        var lotNumber = Optional(request.LotNumber, "lotNumber", ImmunizationLimits.LotNumber, Fail);
        var route = Optional(request.Route, "route", ImmunizationLimits.Route, Fail);
        var site = Optional(request.Site, "site", ImmunizationLimits.Site, Fail);
        var performerName = Optional(request.PerformerName, "performerName", ImmunizationLimits.PerformerName, Fail);

        valid = errors.Count == 0
            ? new ValidRecordImmunization(snils!, externalId, vaccineCode!, vaccineName!, disease!,
                request.DoseNumber, stage, lotNumber, request.AdministeredOn!.Value, route, site, performerName)
            : null;
        return errors;
    }

    /// <summary>
    /// The last calendar date that has begun somewhere in Russia: Kamchatka and Chukotka are at UTC+12,
    /// so a vaccination given there in the morning is dated a day ahead of UTC.
    /// </summary>
    public static DateOnly LatestAllowedDate(DateTimeOffset utcNow) =>
        DateOnly.FromDateTime(utcNow.ToOffset(TimeSpan.FromHours(12)).DateTime);

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Required(string? value, string field, string missing, int maxLength,
        Action<string, string> fail)
    {
        var trimmed = Trimmed(value);
        if (trimmed is null)
        {
            fail(field, missing);
        }
        else if (trimmed.Length > maxLength)
        {
            fail(field, $"Не длиннее {maxLength} символов.");
        }

        return trimmed;
    }

    private static string? Optional(string? value, string field, int maxLength, Action<string, string> fail)
    {
        var trimmed = Trimmed(value);
        if (trimmed is not null && trimmed.Length > maxLength)
        {
            fail(field, $"Не длиннее {maxLength} символов.");
        }

        return trimmed;
    }
}
