using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.Contracts;

namespace Gosuslugi.Health.Immunizations.Api;

/// <summary>A plan item that passed the checks that need no database, with its values normalized.</summary>
public sealed record ValidVaccinationPlan(
    string ExternalId,
    string Snils,
    string Disease,
    string? VaccineName,
    string? Stage,
    DateOnly DueOn);

/// <summary>
/// Checks a plan item sent by a medical organization. Error keys are the JSON field names (the route's
/// externalId included); messages are in Russian because they reach the people who fix the data.
/// </summary>
public static class VaccinationPlanValidator
{
    private static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <summary>The calendar reaches decades ahead (adult revaccinations every 10 years), but not further.</summary>
    public const int MaxYearsAhead = 30;

    public static Dictionary<string, string[]> Validate(string externalId, PublishVaccinationPlanRequest request,
        DateOnly today, out ValidVaccinationPlan? valid)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var id = ValidateExternalId(externalId, errors);

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

        var disease = Trimmed(request.Disease);
        if (disease is null)
        {
            Fail("disease", "Укажите инфекцию, против которой запланирована вакцинация.");
        }
        else if (disease.Length > ImmunizationLimits.Disease)
        {
            Fail("disease", $"Не длиннее {ImmunizationLimits.Disease} символов.");
        }

        var vaccineName = Trimmed(request.VaccineName);
        if (vaccineName is not null && vaccineName.Length > ImmunizationLimits.VaccineName)
        {
            Fail("vaccineName", $"Не длиннее {ImmunizationLimits.VaccineName} символов.");
        }

        var stage = Trimmed(request.Stage)?.ToUpperInvariant();
        if (stage is not null && !RecordImmunizationValidator.StagePattern().IsMatch(stage))
        {
            Fail("stage", "Этап указывается как V1–V9 (вакцинация) или R, R1–R9, RV, RV1–RV9 (ревакцинация).");
        }

        if (request.DueOn is not { } dueOn)
        {
            Fail("dueOn", "Укажите планируемую дату вакцинации.");
        }
        else if (dueOn < EarliestDate)
        {
            Fail("dueOn", "Планируемая дата не может быть раньше 01.01.1900.");
        }
        else if (dueOn > today.AddYears(MaxYearsAhead))
        {
            Fail("dueOn", $"Планируемая дата не может быть позже чем через {MaxYearsAhead} лет.");
        }

        valid = errors.Count == 0
            ? new ValidVaccinationPlan(id!, snils!, disease!, vaccineName, stage, request.DueOn!.Value)
            : null;
        return errors;
    }

    /// <summary>The route's id: the same rules as the external id of a recorded vaccination.</summary>
    public static string? ValidateExternalId(string externalId, Dictionary<string, string[]> errors)
    {
        var id = Trimmed(externalId);
        if (id is null)
        {
            errors["externalId"] = ["Укажите идентификатор пункта плана."];
        }
        else if (id.Length > ImmunizationLimits.ExternalId)
        {
            errors["externalId"] = [$"Не длиннее {ImmunizationLimits.ExternalId} символов."];
        }

        return id;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
