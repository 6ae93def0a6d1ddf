using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A visit: FHIR Encounter with its diagnoses as contained Conditions.</summary>
public static class EncounterMapping
{
    public static readonly IReadOnlySet<string> VisitKinds =
        new HashSet<string>(StringComparer.Ordinal) { "consultation", "examination", "treatment", "hospitalization", "telemedicine" };

    /// <summary>R4's statuses but entered-in-error and unknown, which are no visit a patient is shown.</summary>
    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
        { "planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled" };

    public static IngestedItem? Map(Encounter encounter, ProfileReading read)
    {
        var externalId = FhirProfile.ExternalId(encounter.Identifier, read);
        var snils = FhirProfile.Snils(encounter.Subject, read);

        var status = ProfileReading.Literal(encounter.StatusElement);
        if (status is not null && !Statuses.Contains(status))
        {
            read.Fail("status", "Статус визита: planned, arrived, triaged, in-progress, onleave, finished или cancelled.");
        }

        // A planned visit is in the future by nature; anything else has happened.
        var start = read.Instant(encounter.Period?.StartElement, "period.start", required: true, allowFuture: status == "planned",
            "Укажите дату и время начала визита.");
        var end = read.Instant(encounter.Period?.EndElement, "period.end", allowFuture: status == "planned");
        if (start is not null && end is not null && end < start)
        {
            read.Fail("period.end", "Окончание визита раньше его начала.");
        }

        var type = encounter.Type.FirstOrDefault();
        var (kindCoding, kindIndex) = ProfileReading.Coding(type, FhirProfile.VisitKindSystem);
        string? visitKind = null;
        if (kindCoding is null)
        {
            read.Fail("type[0].coding", "Укажите вид визита (system " + FhirProfile.VisitKindSystem + "): consultation, examination, treatment, hospitalization или telemedicine.");
        }
        else
        {
            var kindPath = $"type[0].coding[{kindIndex}].code";
            visitKind = read.Text(kindCoding.Code, kindPath, required: true, 32, "Укажите вид визита.");
            if (visitKind is not null && !VisitKinds.Contains(visitKind))
            {
                read.Fail(kindPath, "Вид визита: consultation, examination, treatment, hospitalization или telemedicine.");
                visitKind = null;
            }
        }
        var typeText = read.Text(type?.Text, "type[0].text", maxLength: 500);

        var serviceType = encounter.ServiceType;
        var specialty = read.Text(serviceType?.Text, "serviceType.text", maxLength: 200)
            ?? read.Text(serviceType?.Coding.FirstOrDefault()?.Display, "serviceType.coding[0].display", maxLength: 200);
        var (doctorId, doctorName) = FhirProfile.Doctor(encounter.Participant.FirstOrDefault()?.Individual, "participant[0].individual", read);
        var department = read.Text(encounter.Location.FirstOrDefault()?.Location?.Display, "location[0].location.display", maxLength: 300);

        var contained = FhirProfile.Contained(encounter, read);
        var diagnoses = new List<Diagnosis>();
        var hasRankOne = encounter.Diagnosis.Any(d => d.Rank == 1);
        for (var i = 0; i < encounter.Diagnosis.Count; i++)
        {
            var entry = encounter.Diagnosis[i];
            if (FhirProfile.Resolve<Condition>(encounter, entry.Condition, $"diagnosis[{i}].condition", contained, read) is var (condition, path)
                && FhirProfile.Diagnosis(condition, path, primary: hasRankOne ? entry.Rank == 1 : i == 0, read) is { } diagnosis)
            {
                diagnoses.Add(diagnosis);
            }
        }

        var (conclusionExtension, conclusionPath) = ProfileReading.Extension(encounter, FhirProfile.ConclusionExtension);
        var conclusion = read.Text((conclusionExtension?.Value as FhirString)?.Value, conclusionPath + ".valueString", maxLength: 4000);
        var correctionReason = FhirProfile.CorrectionReason(encounter, read);

        if (read.Issues.Any) return null;

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
