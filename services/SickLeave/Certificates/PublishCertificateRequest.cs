using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.SickLeave.Domain;

namespace Gosuslugi.Health.SickLeave.Certificates;

/// <summary>
/// A certificate as a medical organization's system sends it, first or again: the whole current state every time (the
/// organization is never in the body: it is the one the access token was issued to). The patient is named by SNILS.
/// </summary>
public sealed record PublishCertificateRequest(
    string? Number,
    string? Snils,
    DateOnly? IssuedOn,
    string? Status,
    string? ReasonCode,
    string? Regime,
    DoctorDto? Doctor,
    IReadOnlyList<PeriodDto?>? Periods,
    DateOnly? ReturnToWorkOn,
    string? AnnulmentReason) : IJsonRequest<PublishCertificateRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<PublishCertificateRequest>.FormatMessages => CertificateValidator.FormatMessages;
}

public sealed record DoctorDto(string? Name, string? Position);

public sealed record PeriodDto(DateOnly? From, DateOnly? To, string? DoctorName);

/// <summary>A publication that passed validation: the patient's SNILS, the number, the status and the content.</summary>
public sealed record ValidCertificate(string Number, string Snils, string Status, CertificateContent Content);

public static class CertificateValidator
{
    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["issuedOn"] = "Дата выдачи указывается в формате ГГГГ-ММ-ДД.",
        ["returnToWorkOn"] = "Дата выхода на работу указывается в формате ГГГГ-ММ-ДД.",
        ["periods"] = "Периоды нетрудоспособности указываются массивом объектов с полями from, to и doctorName.",
        ["doctor"] = "Врач указывается объектом с полями name и position.",
    };

    /// <summary>Checks every field (all errors at once, by field name) and that the status agrees with the data.</summary>
    public static Dictionary<string, string[]> Validate(PublishCertificateRequest request, DateOnly today, out ValidCertificate? valid)
    {
        valid = null;
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);

        var number = request.Number?.Trim();
        if (number is null || number.Length != SickLeaveRules.NumberLength || !number.All(char.IsAsciiDigit))
            Add("number", "Номер листка нетрудоспособности — 12 цифр.");

        if (!Snils.TryNormalize(request.Snils, out var snils))
            Add("snils", "Укажите СНИЛС пациента: 11 цифр с верной контрольной суммой.");

        if (request.IssuedOn is not { } issuedOn) Add("issuedOn", "Укажите дату выдачи листка.");
        else if (issuedOn > today) Add("issuedOn", "Дата выдачи не может быть в будущем.");

        var status = request.Status;
        if (status is null || !SickLeaveStatuses.All.Contains(status))
            Add("status", "Статус листка: open, extended, closed или annulled.");

        if (request.ReasonCode is null || !SickLeaveRules.Reasons.ContainsKey(request.ReasonCode))
            Add("reasonCode", "Код причины нетрудоспособности — от 01 до 15.");

        if (request.Regime is null || !SickLeaveRules.Regimes.ContainsKey(request.Regime))
            Add("regime", "Режим лечения: outpatient, inpatient, day_hospital или sanatorium.");

        var doctorName = request.Doctor?.Name?.Trim();
        if (string.IsNullOrEmpty(doctorName) || doctorName.Length > SickLeaveRules.DoctorNameLength)
            Add("doctor.name", $"Укажите ФИО врача (не длиннее {SickLeaveRules.DoctorNameLength} символов).");
        var doctorPosition = Optional(request.Doctor?.Position);
        if (doctorPosition?.Length > SickLeaveRules.DoctorPositionLength)
            Add("doctor.position", $"Должность врача — не длиннее {SickLeaveRules.DoctorPositionLength} символов.");

        var periods = new List<IncapacityPeriod>();
        if (request.Periods is not { Count: > 0 } sent || sent.Count > SickLeaveRules.MaxPeriods)
        {
            Add("periods", $"Укажите от 1 до {SickLeaveRules.MaxPeriods} периодов нетрудоспособности.");
        }
        else
        {
            for (var i = 0; i < sent.Count; i++)
            {
                var field = $"periods[{i}]";
                if (sent[i] is not { From: { } from, To: { } to } period)
                {
                    Add(field, "Укажите начало (from) и окончание (to) периода.");
                    continue;
                }
                if (to < from) Add(field, "Окончание периода не может быть раньше его начала.");
                else if (periods.Count > 0 && from <= periods[^1].To) Add(field, "Периоды идут один за другим и не пересекаются.");
                var periodDoctor = Optional(period.DoctorName);
                if (periodDoctor?.Length > SickLeaveRules.DoctorNameLength)
                    Add($"{field}.doctorName", $"ФИО врача — не длиннее {SickLeaveRules.DoctorNameLength} символов.");
                periods.Add(new IncapacityPeriod(from, to, periodDoctor));
            }
        }

        var annulmentReason = Optional(request.AnnulmentReason);
        if (annulmentReason?.Length > SickLeaveRules.AnnulmentReasonLength)
            Add("annulmentReason", $"Причина аннулирования — не длиннее {SickLeaveRules.AnnulmentReasonLength} символов.");

        if (errors.Count > 0) return errors;

        // The status says what the data must show.
        switch (status)
        {
            case SickLeaveStatuses.Open when periods.Count != 1:
                Add("periods", "У открытого листка один период нетрудоспособности; продление — статус extended.");
                break;
            case SickLeaveStatuses.Extended when periods.Count < 2:
                Add("periods", "У продлённого листка не меньше двух периодов нетрудоспособности.");
                break;
            case SickLeaveStatuses.Closed when request.ReturnToWorkOn is null:
                Add("returnToWorkOn", "У закрытого листка указывается дата выхода на работу.");
                break;
            case SickLeaveStatuses.Annulled when annulmentReason is null:
                Add("annulmentReason", "Укажите причину аннулирования листка.");
                break;
        }
        if (request.ReturnToWorkOn is { } returnOn)
        {
            if (status is SickLeaveStatuses.Open or SickLeaveStatuses.Extended)
                Add("returnToWorkOn", "Дата выхода на работу указывается только при закрытии листка.");
            else if (returnOn <= periods[^1].To)
                Add("returnToWorkOn", "Дата выхода на работу — после окончания последнего периода нетрудоспособности.");
        }
        if (annulmentReason is not null && status != SickLeaveStatuses.Annulled)
            Add("annulmentReason", "Причина аннулирования указывается только для аннулированного листка.");
        if (errors.Count > 0) return errors;

        valid = new ValidCertificate(number!, snils!, status!, new CertificateContent(request.IssuedOn!.Value,
            request.ReasonCode!, request.Regime!, doctorName!, doctorPosition, periods, request.ReturnToWorkOn, annulmentReason));
        return errors;
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
