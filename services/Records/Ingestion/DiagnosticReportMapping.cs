using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A lab or diagnostic result: FHIR DiagnosticReport with its values as contained Observations.</summary>
public static class DiagnosticReportMapping
{
    /// <summary>v2-0074 diagnostic service sections and the category a patient sees.</summary>
    private static string CategoryOf(string code) => code switch
    {
        "LAB" => "laboratory",
        "RAD" or "CT" or "NMR" or "NMS" or "RUS" or "OUS" or "CUS" or "VUS" or "XRC" or "RX" => "imaging",
        "EC" or "CTH" or "PF" or "NRS" or "EN" or "PHY" or "AU" => "functional",
        "SP" or "CP" => "pathology",
        _ => "other",
    };

    public static IngestedItem? Map(DiagnosticReport report, ProfileReading read)
    {
        var externalId = FhirProfile.ExternalId(report.Identifier, read);
        var snils = FhirProfile.Snils(report.Subject, read);
        // Every R4 status is a result a patient may be shown; the SDK has checked the code.
        var status = ProfileReading.Literal(report.StatusElement);

        var (categoryCoding, categoryIndex) = ProfileReading.Coding(report.Category.FirstOrDefault(), FhirProfile.DiagnosticCategorySystem);
        string? categoryCode = null;
        if (categoryCoding is not null)
        {
            categoryCode = read.Text(categoryCoding.Code, $"category[0].coding[{categoryIndex}].code", required: true, 16,
                "Укажите код категории исследования.");
        }
        else
        {
            read.Fail("category[0].coding", "Укажите категорию исследования (system " + FhirProfile.DiagnosticCategorySystem + ", например LAB).");
        }
        var kind = categoryCode == "LAB" ? RecordItemKinds.LabResult : RecordItemKinds.DiagnosticResult;

        var code = report.Code;
        var studyCoding = code?.Coding.FirstOrDefault();
        var studyCode = read.Text(studyCoding?.Code, "code.coding[0].code", maxLength: 64);
        var title = read.Text(code?.Text, "code.text", maxLength: 500) ?? read.Text(studyCoding?.Display, "code.coding[0].display", maxLength: 500);
        if (title is null)
        {
            read.Fail("code.text", "Укажите название исследования (code.text или code.coding[0].display).");
        }

        var takenAt = read.Instant(report.Effective, "effectiveDateTime", required: true, requiredMessage: "Укажите дату и время взятия материала.");
        var issued = read.Instant(report.IssuedElement, "issued");
        if (takenAt is not null && issued is not null && issued < takenAt)
        {
            read.Fail("issued", "Результат выдан раньше, чем взят материал.");
        }
        var (doctorId, doctorName) = FhirProfile.Doctor(report.Performer.FirstOrDefault(), "performer[0]", read);
        var conclusion = read.Text(report.Conclusion, "conclusion", maxLength: 4000);
        var document = FhirProfile.Document(report.PresentedForm.FirstOrDefault(), "presentedForm[0]", (title ?? "Результат") + ".pdf", read);

        var contained = FhirProfile.Contained(report, read);
        var observations = new List<IngestedObservation>();
        for (var i = 0; i < report.Result.Count; i++)
        {
            if (FhirProfile.Resolve<Hl7.Fhir.Model.Observation>(report, report.Result[i], $"result[{i}]", contained, read) is var (observation, path)
                && read.Part(() => MapObservation(observation, path, takenAt, read)) is { } value)
            {
                observations.Add(value);
            }
        }
        if (kind == RecordItemKinds.LabResult && report.Result.Count == 0)
        {
            read.Fail("result", "Лабораторный результат содержит хотя бы одно значение (ссылку на Observation).");
        }
        else if (report.Result.Count == 0 && conclusion is null && report.PresentedForm.Count == 0)
        {
            read.Fail("conclusion", "Укажите заключение, значения (result) или документ (presentedForm).");
        }

        var correctionReason = FhirProfile.CorrectionReason(report, read);
        if (read.Issues.Any) return null;

        var details = RecordDetails.Serialize(new ResultDetails(CategoryOf(categoryCode!), studyCode, conclusion, null, issued));
        return new IngestedItem("DiagnosticReport", kind, externalId!, snils!, status!, title!, takenAt!.Value,
            null, doctorId, doctorName, null, [], details, observations, document, correctionReason);
    }

    private static IngestedObservation? MapObservation(Hl7.Fhir.Model.Observation observation, string path, DateTimeOffset? reportTakenAt,
        ProfileReading read)
    {
        var coding = observation.Code?.Coding.FirstOrDefault();
        var analyteCode = read.Text(coding?.Code, path + ".code.coding[0].code", required: true, 64, "Укажите код показателя.");
        var analyteName = read.Text(coding?.Display, path + ".code.coding[0].display", maxLength: 300)
            ?? read.Text(observation.Code?.Text, path + ".code.text", maxLength: 300);
        if (analyteName is null)
        {
            read.Fail(path + ".code.coding[0].display", "Укажите название показателя.");
        }

        decimal? value = null;
        string? valueText = null;
        string? unit = null;
        // The SDK names a value of the wrong type "value" (the choice element), the profile by its JSON name.
        var sdkNamedValue = read.Issues.Has(path + ".value");
        switch (observation.Value)
        {
            case Quantity quantity:
                value = quantity.Value;
                if (value is null && !sdkNamedValue)
                {
                    read.Fail(path + ".valueQuantity.value", "Укажите числовое значение показателя.");
                }
                else if (value is { } v && Math.Abs(v) >= 1_000_000_000_000m)
                {
                    read.Fail(path + ".valueQuantity.value", "Значение вне допустимого диапазона.");
                }
                unit = read.Text(quantity.Unit, path + ".valueQuantity.unit", maxLength: 50) ?? read.Text(quantity.Code, path + ".valueQuantity.code", maxLength: 50);
                break;
            case FhirString text:
                valueText = read.Text(text.Value, path + ".valueString", required: true, 1000, "Укажите значение показателя.");
                break;
            case CodeableConcept concept:
                valueText = read.Text(concept.Text, path + ".valueCodeableConcept.text", maxLength: 1000)
                    ?? read.Text(concept.Coding.FirstOrDefault()?.Display, path + ".valueCodeableConcept.coding[0].display", maxLength: 1000);
                if (valueText is null) read.Fail(path + ".valueCodeableConcept.text", "Укажите значение показателя.");
                break;
            default:
                if (!sdkNamedValue)
                {
                    read.Fail(path + ".valueQuantity.value", "Укажите значение показателя (valueQuantity, valueString или valueCodeableConcept).");
                }
                break;
        }

        var range = observation.ReferenceRange.FirstOrDefault();
        var low = range?.Low?.Value;
        var high = range?.High?.Value;
        var rangeText = read.Text(range?.Text, path + ".referenceRange[0].text", maxLength: 200);
        if (low is not null && high is not null && low > high)
        {
            read.Fail(path + ".referenceRange[0].high.value", "Верхняя граница нормы меньше нижней.");
        }

        var interpretation = Interpretation(observation.Interpretation.FirstOrDefault()?.Coding.FirstOrDefault()?.Code,
            path + ".interpretation[0].coding[0].code", value, low, high, read);
        var comment = read.Text(observation.Note.FirstOrDefault()?.Text, path + ".note[0].text", maxLength: 2000);
        var takenAt = read.Instant(observation.Effective, path + ".effectiveDateTime") ?? reportTakenAt;

        if (analyteCode is null || analyteName is null || interpretation is null || takenAt is null || (value is null && valueText is null))
        {
            return null;
        }
        return new IngestedObservation(analyteCode, analyteName, value, valueText, unit, low, high, rangeText,
            interpretation, comment, takenAt.Value);
    }

    /// <summary>The flag the organization sent (v3 ObservationInterpretation), else computed from the reference range.</summary>
    private static string? Interpretation(string? code, string path, decimal? value, decimal? low, decimal? high, ProfileReading read)
    {
        if (code is not null)
        {
            var text = read.Text(code, path, maxLength: 8);
            var mapped = text switch
            {
                "N" or "NEG" => Interpretations.Normal,
                "L" => Interpretations.Low,
                "H" => Interpretations.High,
                "LL" or "HH" or "AA" => Interpretations.Critical,
                "A" or "POS" => Interpretations.Abnormal,
                "IND" or "U" => Interpretations.Unknown,
                _ => null,
            };
            if (mapped is null && text is not null)
            {
                read.Fail(path, "Код интерпретации: N, L, H, LL, HH, A или AA.");
            }
            return mapped;
        }

        if (value is not { } v || (low is null && high is null)) return Interpretations.Unknown;
        if (low is { } l && v < l) return Interpretations.Low;
        if (high is { } h && v > h) return Interpretations.High;
        return Interpretations.Normal;
    }
}
