using System.Globalization;
using Gosuslugi.Health.Contracts;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Prescriptions.Domain;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace Gosuslugi.Health.Prescriptions.Publishing;

/// <summary>
/// The e-prescription profile of FHIR R4 MedicationRequest (README, «Электронные рецепты»): what an organization must send
/// and how each element becomes a prescription. Every problem is named by its FHIRPath in the issues, all at once.
/// </summary>
public static class MedicationRequestProfile
{
    public const string SnilsSystem = "urn:oid:1.2.643.100.3";
    public const string ProgramExtension = "https://health.gosuslugi.ru/fhir/StructureDefinition/reimbursement-program";
    public const int ExternalIdLength = 128;
    public const string UnknownPatient = "Пациент с таким СНИЛС не зарегистрирован в сервисе.";

    /// <summary>R4 statuses the profile takes, and the prescription's status each becomes ("expired" is the service's own).</summary>
    private static readonly Dictionary<MedicationRequest.MedicationrequestStatus, string> Statuses = new()
    {
        [MedicationRequest.MedicationrequestStatus.Active] = PrescriptionStatuses.Active,
        [MedicationRequest.MedicationrequestStatus.Completed] = PrescriptionStatuses.Completed,
        [MedicationRequest.MedicationrequestStatus.Cancelled] = PrescriptionStatuses.Cancelled,
        [MedicationRequest.MedicationrequestStatus.Stopped] = PrescriptionStatuses.Cancelled,
    };

    public static PublishedPrescription? Map(MedicationRequest request, FhirIssues issues)
    {
        try
        {
            return MapChecked(request, new Reading(issues));
        }
        catch (CodedValidationException) when (issues.Any)
        {
            // The SDK's partial resource throws on reading an element it found invalid, and has named it already.
            return null;
        }
    }

    private static PublishedPrescription? MapChecked(MedicationRequest request, Reading read)
    {
        var externalId = read.Text(request.Identifier.Count > 0 ? request.Identifier[0].Value : null, "identifier[0].value",
            ExternalIdLength, "Укажите идентификатор рецепта в медицинской организации.");

        string? status = null;
        if (request.Status is null) read.Fail("status", "Укажите статус рецепта.");
        else if (!Statuses.TryGetValue(request.Status.Value, out status))
            read.Fail("status", "Статус рецепта: active, completed, cancelled или stopped.");
        if (request.Intent is not null and not MedicationRequest.MedicationRequestIntent.Order)
            read.Fail("intent", "Рецепт передаётся с intent \"order\".");

        var snils = SnilsOf(request, read);

        string? medicationCode = null, medicationName = null;
        if (request.Medication is CodeableConcept medication)
        {
            var coding = medication.Coding.FirstOrDefault();
            medicationCode = read.Optional(coding?.Code, "medicationCodeableConcept.coding[0].code", 64);
            medicationName = read.Text(medication.Text ?? coding?.Display, "medicationCodeableConcept.text", 300,
                "Укажите название лекарственного препарата (text или coding[0].display).");
        }
        else
        {
            read.Fail("medicationCodeableConcept", "Лекарственный препарат указывается в medicationCodeableConcept.");
        }

        var dosage = request.DosageInstruction.FirstOrDefault();
        var dosageText = read.Text(dosage?.Text, "dosageInstruction[0].text", 1000, "Укажите способ применения и дозировку.");
        var dose = DoseOf(dosage, read);

        var dispense = request.DispenseRequest;
        decimal? quantity = dispense?.Quantity?.Value;
        if (quantity is null) read.Fail("dispenseRequest.quantity.value", "Укажите количество к отпуску.");
        else if (quantity <= 0 || quantity > 10_000 || decimal.Round(quantity.Value, 3) != quantity)
            read.Fail("dispenseRequest.quantity.value", "Количество к отпуску — положительное число (не больше 10 000, до трёх знаков после запятой).");
        var quantityUnit = read.Optional(dispense?.Quantity?.Unit, "dispenseRequest.quantity.unit", 50);

        var validFrom = read.Date(dispense?.ValidityPeriod?.Start, "dispenseRequest.validityPeriod.start", "Укажите начало срока действия рецепта.");
        var validUntil = read.Date(dispense?.ValidityPeriod?.End, "dispenseRequest.validityPeriod.end", "Укажите окончание срока действия рецепта.");
        if (validFrom is not null && validUntil is not null && validUntil < validFrom)
            read.Fail("dispenseRequest.validityPeriod.end", "Срок действия рецепта не может закончиться раньше, чем начался.");
        if (validFrom is not null && validUntil is not null && validUntil > validFrom.Value.AddYears(1))
            read.Fail("dispenseRequest.validityPeriod.end", "Рецепт действует не больше года.");

        var authoredOn = request.AuthoredOn is null ? validFrom : read.Date(request.AuthoredOn, "authoredOn", null);

        var doctorName = read.Text(request.Requester?.Display, "requester.display", 300, "Укажите врача, выписавшего рецепт (requester.display).");
        var doctorId = read.Optional(request.Requester?.Identifier?.Value, "requester.identifier.value", 64);

        var program = ProgramOf(request, read);
        var note = read.Optional(request.Note.FirstOrDefault()?.Text, "note[0].text", 1000);

        if (read.Issues.Any) return null;
        return new PublishedPrescription(externalId!, snils!, status!, authoredOn!.Value, validFrom!.Value, validUntil!.Value,
            quantity!.Value, new PrescriptionContent(medicationCode, medicationName!, dosageText!, dose, quantityUnit, doctorName!,
                doctorId, program, note));
    }

    /// <summary>The patient's SNILS from subject.identifier, digits only; null (without naming problems) when it is not there.</summary>
    public static string? SnilsOf(MedicationRequest request, FhirIssues issues) =>
        issues.Has("subject") ? null : SnilsOf(request, new Reading(new FhirIssues(issues.Root)));

    private static string? SnilsOf(MedicationRequest request, Reading read)
    {
        var identifier = request.Subject?.Identifier;
        var system = read.Text(identifier?.System, "subject.identifier.system", 100, "Укажите систему идентификатора пациента (СНИЛС: " + SnilsSystem + ").");
        if (system is not null && system != SnilsSystem)
            read.Fail("subject.identifier.system", "Пациент указывается по СНИЛС: система " + SnilsSystem + ".");
        var value = read.Text(identifier?.Value, "subject.identifier.value", 20, "Укажите СНИЛС пациента.");
        if (value is null) return null;
        var digits = Snils.Normalize(value);
        switch (Snils.Check(digits))
        {
            case Snils.Problem.None:
                return digits;
            case Snils.Problem.Checksum:
                read.Fail("subject.identifier.value", "Неверная контрольная сумма СНИЛС.");
                return null;
            default:
                read.Fail("subject.identifier.value", "СНИЛС состоит из 11 цифр.");
                return null;
        }
    }

    private static StructuredDose? DoseOf(Dosage? dosage, Reading read)
    {
        var quantity = dosage?.DoseAndRate.FirstOrDefault()?.Dose as Quantity;
        var repeat = dosage?.Timing?.Repeat;
        if (quantity is null && repeat is null) return null;
        if (quantity?.Value is <= 0)
            read.Fail("dosageInstruction[0].doseAndRate[0].doseQuantity.value", "Разовая доза — положительное число.");
        if (repeat?.Frequency is <= 0)
            read.Fail("dosageInstruction[0].timing.repeat.frequency", "Кратность приёма — положительное число.");
        return new StructuredDose(quantity?.Value, read.Optional(quantity?.Unit, "dosageInstruction[0].doseAndRate[0].doseQuantity.unit", 50),
            repeat?.Frequency, repeat?.Period, repeat?.PeriodUnit?.ToString().ToLowerInvariant());
    }

    private static ReimbursementProgram? ProgramOf(MedicationRequest request, Reading read)
    {
        var extension = request.Extension.FirstOrDefault(e => e.Url == ProgramExtension);
        if (extension is null) return null;
        const string path = "extension.where(url='" + ProgramExtension + "').valueCoding";
        if (extension.Value is not Coding coding)
        {
            read.Fail(path, "Льготная программа указывается в valueCoding (code, display).");
            return null;
        }
        var name = read.Text(coding.Display, path + ".display", 300, "Укажите название льготной программы.");
        return name is null ? null : new ReimbursementProgram(read.Optional(coding.Code, path + ".code", 64), name);
    }

    /// <summary>Reads values, naming each problem once (not where the SDK already named the element).</summary>
    private sealed class Reading(FhirIssues issues)
    {
        public FhirIssues Issues { get; } = issues;

        public void Fail(string path, string message)
        {
            if (!Issues.Has(path)) Issues.Add(path, message);
        }

        public string? Text(string? value, string path, int maxLength, string requiredMessage)
        {
            var text = Optional(value, path, maxLength);
            if (text is null && !Issues.Has(path)) Fail(path, requiredMessage);
            return text;
        }

        public string? Optional(string? value, string path, int maxLength)
        {
            var text = value?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            if (text.Length <= maxLength) return text;
            Fail(path, $"Значение длиннее {maxLength} символов.");
            return null;
        }

        /// <summary>A FHIR date or dateTime as a calendar day (the day as written: prescriptions run by the date on them).</summary>
        public DateOnly? Date(string? literal, string path, string? requiredMessage)
        {
            if (Issues.Has(path)) return null;
            if (string.IsNullOrWhiteSpace(literal))
            {
                if (requiredMessage is not null) Fail(path, requiredMessage);
                return null;
            }
            if (literal.Length >= 10 && DateOnly.TryParseExact(literal[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var day))
            {
                return day;
            }
            Fail(path, "Укажите полную дату в формате ГГГГ-ММ-ДД.");
            return null;
        }
    }
}
