using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A visit: FHIR Encounter with its diagnoses as contained Conditions.</summary>
public static class EncounterMapping
{
    public static readonly IReadOnlySet<string> VisitKinds =
        new HashSet<string>(StringComparer.Ordinal) { "consultation", "examination", "treatment", "hospitalization", "telemedicine" };

    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
        { "planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled" };

    public static IngestedItem? Map(FhirElement encounter)
    {
        var externalId = FhirProfile.ExternalId(encounter);
        var snils = FhirProfile.Snils(encounter);

        var status = encounter["status"].String(required: true, 32, "Укажите статус визита.");
        if (status is not null && !Statuses.Contains(status))
        {
            encounter["status"].Fail("Статус визита: planned, arrived, triaged, in-progress, onleave, finished или cancelled.");
        }

        var period = encounter["period"];
        // A planned visit is in the future by nature; anything else has happened.
        var start = period["start"].Instant(required: true, allowFuture: status == "planned", "Укажите дату и время начала визита.");
        var end = period["end"].Instant(allowFuture: status == "planned");
        if (start is not null && end is not null && end < start)
        {
            period["end"].Fail("Окончание визита раньше его начала.");
        }

        var type = encounter["type"][0];
        var kindCoding = type.Coding(FhirProfile.VisitKindSystem);
        string? visitKind = null;
        if (kindCoding is not { } kc)
        {
            type["coding"].Fail("Укажите вид визита (system " + FhirProfile.VisitKindSystem + "): consultation, examination, treatment, hospitalization или telemedicine.");
        }
        else
        {
            visitKind = kc["code"].String(required: true, 32, "Укажите вид визита.");
            if (visitKind is not null && !VisitKinds.Contains(visitKind))
            {
                kc["code"].Fail("Вид визита: consultation, examination, treatment, hospitalization или telemedicine.");
                visitKind = null;
            }
        }
        var typeText = type["text"].Text(500);

        var serviceType = encounter["serviceType"];
        var specialty = serviceType["text"].Text(200) ?? serviceType["coding"][0]["display"].Text(200);
        var (doctorId, doctorName) = FhirProfile.Doctor(encounter["participant"][0]["individual"]);
        var department = encounter["location"][0]["location"]["display"].Text(300);

        var contained = FhirProfile.Contained(encounter);
        var diagnoses = new List<Diagnosis>();
        var diagnosisEntries = encounter["diagnosis"].Items();
        var hasRankOne = diagnosisEntries.Any(d => d["rank"].Json is { } r && r.ValueKind == System.Text.Json.JsonValueKind.Number && r.TryGetInt32(out var n) && n == 1);
        for (var i = 0; i < diagnosisEntries.Count; i++)
        {
            var entry = diagnosisEntries[i];
            var rank = entry["rank"].Integer();
            if (FhirProfile.Resolve(entry["condition"], contained, "Condition") is { } condition
                && FhirProfile.Diagnosis(condition, primary: hasRankOne ? rank == 1 : i == 0) is { } diagnosis)
            {
                diagnoses.Add(diagnosis);
            }
        }

        var conclusion = encounter.Extension(FhirProfile.ConclusionExtension)["valueString"].Text(4000);
        var correctionReason = FhirProfile.CorrectionReason(encounter);

        if (encounter.Problems.Any) return null;

        var title = typeText ?? VisitTitles.For(visitKind!, specialty, department);
        var details = RecordDetails.Serialize(new VisitDetails(visitKind!, diagnoses, conclusion, end));
        return new IngestedItem("Encounter", RecordItemKinds.Visit, externalId!, snils!, status!, title, start!.Value,
            department, doctorId, doctorName, specialty, diagnoses, details, [], null, correctionReason);
    }
}

/// <summary>Russian titles of visits a patient reads in the history.</summary>
public static class VisitTitles
{
    public static string For(string visitKind, string? specialty, string? department)
    {
        var doctor = DoctorOf(specialty);
        return visitKind switch
        {
            "consultation" => doctor is not null ? "Приём " + doctor : specialty is not null ? "Консультация: " + specialty : "Приём врача",
            "examination" => doctor is not null ? "Осмотр " + doctor : specialty is not null ? "Осмотр: " + specialty : "Медицинский осмотр",
            "treatment" => specialty is not null ? "Лечение: " + specialty : "Лечебная процедура",
            "hospitalization" => department is not null ? "Госпитализация: " + department : specialty is not null ? "Госпитализация: " + specialty : "Госпитализация",
            "telemedicine" => doctor is not null ? "Телемедицинская консультация " + doctor
                : specialty is not null ? "Телемедицинская консультация: " + specialty : "Телемедицинская консультация",
            _ => "Визит",
        };
    }

    /// <summary>
    /// "терапевт" → "врача-терапевта": a one-word specialty (nearly all are masculine nouns ending in a consonant) in
    /// the genitive; anything else is left to the "Консультация: ..." form.
    /// </summary>
    private static string? DoctorOf(string? specialty)
    {
        if (specialty is null) return null;
        var word = specialty.Trim().ToLowerInvariant();
        if (word.StartsWith("врач-", StringComparison.Ordinal)) word = word["врач-".Length..];
        if (word.Length < 3 || !word.All(c => c is >= 'а' and <= 'я' or 'ё' or '-')) return null;
        var last = word[^1];
        if ("аеёиоуыэюяьй-".Contains(last)) return null;
        return "врача-" + word + "а";
    }
}
