using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A lab or diagnostic result: FHIR DiagnosticReport with its values as contained Observations.</summary>
public static class DiagnosticReportMapping
{
    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
        { "registered", "partial", "preliminary", "final", "amended", "corrected", "appended", "cancelled" };

    /// <summary>v2-0074 diagnostic service sections and the category a patient sees.</summary>
    private static string CategoryOf(string code) => code switch
    {
        "LAB" => "laboratory",
        "RAD" or "CT" or "NMR" or "NMS" or "RUS" or "OUS" or "CUS" or "VUS" or "XRC" or "RX" => "imaging",
        "EC" or "CTH" or "PF" or "NRS" or "EN" or "PHY" or "AU" => "functional",
        "SP" or "CP" => "pathology",
        _ => "other",
    };

    public static IngestedItem? Map(FhirElement report)
    {
        var externalId = FhirProfile.ExternalId(report);
        var snils = FhirProfile.Snils(report);

        var status = report["status"].String(required: true, 32, "Укажите статус результата.");
        if (status is not null && !Statuses.Contains(status))
        {
            report["status"].Fail("Статус результата: registered, partial, preliminary, final, amended, corrected, appended или cancelled.");
        }

        var categoryElement = report["category"][0];
        string? categoryCode = null;
        if (categoryElement.Coding(FhirProfile.DiagnosticCategorySystem) is { } categoryCoding)
        {
            categoryCode = categoryCoding["code"].String(required: true, 16, "Укажите код категории исследования.");
        }
        else
        {
            categoryElement["coding"].Fail("Укажите категорию исследования (system " + FhirProfile.DiagnosticCategorySystem + ", например LAB).");
        }
        var kind = categoryCode == "LAB" ? RecordItemKinds.LabResult : RecordItemKinds.DiagnosticResult;

        var code = report["code"];
        var studyCoding = code["coding"][0];
        var studyCode = studyCoding["code"].Text(64);
        var title = code["text"].Text(500) ?? studyCoding["display"].Text(500);
        if (title is null)
        {
            code["text"].Fail("Укажите название исследования (code.text или code.coding[0].display).");
        }

        var takenAt = report["effectiveDateTime"].Instant(required: true, requiredMessage: "Укажите дату и время взятия материала.");
        var issued = report["issued"].Instant();
        if (takenAt is not null && issued is not null && issued < takenAt)
        {
            report["issued"].Fail("Результат выдан раньше, чем взят материал.");
        }
        var (doctorId, doctorName) = FhirProfile.Doctor(report["performer"][0]);
        var conclusion = report["conclusion"].Text(4000);
        var document = FhirProfile.Document(report["presentedForm"][0], (title ?? "Результат") + ".pdf");

        var contained = FhirProfile.Contained(report);
        var observations = new List<IngestedObservation>();
        var results = report["result"].Items();
        foreach (var result in results)
        {
            if (FhirProfile.Resolve(result, contained, "Observation") is { } observation
                && MapObservation(observation, takenAt) is { } value)
            {
                observations.Add(value);
            }
        }
        if (kind == RecordItemKinds.LabResult && results.Count == 0)
        {
            report["result"].Fail("Лабораторный результат содержит хотя бы одно значение (ссылку на Observation).");
        }
        else if (results.Count == 0 && conclusion is null && document is null && !report["presentedForm"].Exists)
        {
            report["conclusion"].Fail("Укажите заключение, значения (result) или документ (presentedForm).");
        }

        var correctionReason = FhirProfile.CorrectionReason(report);
        if (report.Problems.Any) return null;

        var details = RecordDetails.Serialize(new ResultDetails(CategoryOf(categoryCode!), studyCode, conclusion, null, issued));
        return new IngestedItem("DiagnosticReport", kind, externalId!, snils!, status!, title!, takenAt!.Value,
            null, doctorId, doctorName, null, [], details, observations, document, correctionReason);
    }

    private static IngestedObservation? MapObservation(FhirElement observation, DateTimeOffset? reportTakenAt)
    {
        var coding = observation["code"]["coding"][0];
        var analyteCode = coding["code"].String(required: true, 64, "Укажите код показателя.");
        var analyteName = coding["display"].Text(300) ?? observation["code"]["text"].Text(300);
        if (analyteName is null)
        {
            coding["display"].Fail("Укажите название показателя.");
        }

        decimal? value = null;
        string? valueText = null;
        string? unit = null;
        var quantity = observation["valueQuantity"];
        if (quantity.Exists)
        {
            value = quantity["value"].Decimal(required: true, "Укажите числовое значение показателя.");
            if (value is { } v && Math.Abs(v) >= 1_000_000_000_000m)
            {
                quantity["value"].Fail("Значение вне допустимого диапазона.");
            }
            unit = quantity["unit"].Text(50) ?? quantity["code"].Text(50);
        }
        else if (observation["valueString"].Exists)
        {
            valueText = observation["valueString"].String(required: true, 1000, "Укажите значение показателя.");
        }
        else if (observation["valueCodeableConcept"].Exists)
        {
            valueText = observation["valueCodeableConcept"]["text"].Text(1000)
                ?? observation["valueCodeableConcept"]["coding"][0]["display"].Text(1000);
            if (valueText is null) observation["valueCodeableConcept"]["text"].Fail("Укажите значение показателя.");
        }
        else
        {
            observation["valueQuantity"]["value"].Fail("Укажите значение показателя (valueQuantity, valueString или valueCodeableConcept).");
        }

        var range = observation["referenceRange"][0];
        var low = range["low"]["value"].Decimal();
        var high = range["high"]["value"].Decimal();
        var rangeText = range["text"].Text(200);
        if (low is not null && high is not null && low > high)
        {
            range["high"]["value"].Fail("Верхняя граница нормы меньше нижней.");
        }

        var interpretation = Interpretation(observation["interpretation"][0]["coding"][0]["code"], value, low, high);
        var comment = observation["note"][0]["text"].Text(2000);
        var takenAt = observation["effectiveDateTime"].Instant() ?? reportTakenAt;

        if (analyteCode is null || analyteName is null || interpretation is null || takenAt is null || (value is null && valueText is null))
        {
            return null;
        }
        return new IngestedObservation(analyteCode, analyteName, value, valueText, unit, low, high, rangeText,
            interpretation, comment, takenAt.Value);
    }

    /// <summary>The flag the organization sent (v3 ObservationInterpretation), else computed from the reference range.</summary>
    private static string? Interpretation(FhirElement code, decimal? value, decimal? low, decimal? high)
    {
        if (code.Exists)
        {
            var text = code.String(maxLength: 8);
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
                code.Fail("Код интерпретации: N, L, H, LL, HH, A или AA.");
            }
            return mapped;
        }

        if (value is not { } v || (low is null && high is null)) return Interpretations.Unknown;
        if (low is { } l && v < l) return Interpretations.Low;
        if (high is { } h && v > h) return Interpretations.High;
        return Interpretations.Normal;
    }
}
