using System.Globalization;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A preventive exam (диспансеризация, профилактический осмотр): FHIR CarePlan with its steps as activities.</summary>
public static class CarePlanMapping
{
    public const string Dispanserization = "dispanserization";
    public const string ProfExam = "prof_exam";

    private static readonly IReadOnlySet<string> HealthGroups = new HashSet<string>(StringComparer.Ordinal) { "I", "II", "IIIa", "IIIb" };

    public static IngestedItem? Map(CarePlan carePlan, ProfileReading read)
    {
        var externalId = FhirProfile.ExternalId(carePlan.Identifier, read);
        var snils = FhirProfile.Snils(carePlan.Subject, read);

        var status = ProfileReading.Literal(carePlan.StatusElement);
        var (programCoding, programIndex) = ProfileReading.Coding(carePlan.Category.FirstOrDefault(), FhirProfile.PreventiveProgramSystem);
        string? program = null;
        if (programCoding is not null)
        {
            var programPath = $"category[0].coding[{programIndex}].code";
            program = read.Text(programCoding.Code, programPath, required: true, 32, "Укажите программу: dispanserization или prof_exam.");
            if (program is not null and not (Dispanserization or ProfExam))
            {
                read.Fail(programPath, "Программа: dispanserization (диспансеризация) или prof_exam (профилактический осмотр).");
                program = null;
            }
        }
        else
        {
            read.Fail("category[0].coding", "Укажите программу (system " + FhirProfile.PreventiveProgramSystem + "): dispanserization или prof_exam.");
        }

        // Planned for a date, possibly in the future.
        var plannedAt = read.Instant(carePlan.Period?.StartElement, "period.start", required: true, allowFuture: true, "Укажите плановую дату осмотра.");
        var periodEnd = read.Date(carePlan.Period?.EndElement, "period.end");

        var (stageExtension, stagePath) = ProfileReading.Extension(carePlan, FhirProfile.PreventiveStageExtension);
        var stage = (stageExtension?.Value as Integer)?.Value;
        if (stage is not null and not (1 or 2))
        {
            read.Fail(stagePath + ".valueInteger", "Этап диспансеризации: 1 или 2.");
        }
        var (groupExtension, groupPath) = ProfileReading.Extension(carePlan, FhirProfile.HealthGroupExtension);
        var healthGroup = read.Text((groupExtension?.Value as FhirString)?.Value, groupPath + ".valueString", maxLength: 8);
        if (healthGroup is not null && !HealthGroups.Contains(healthGroup))
        {
            read.Fail(groupPath + ".valueString", "Группа здоровья: I, II, IIIa или IIIb.");
        }

        var steps = new List<PreventiveExamStep>();
        for (var i = 0; i < carePlan.Activity.Count; i++)
        {
            var activity = carePlan.Activity[i];
            var detail = activity.Detail;
            var name = read.Text(detail?.Description, $"activity[{i}].detail.description", required: true, 300, "Укажите название этапа осмотра.");
            var result = read.Text(activity.OutcomeCodeableConcept.FirstOrDefault()?.Text, $"activity[{i}].outcomeCodeableConcept[0].text", maxLength: 1000);
            var doneOn = read.Date((detail?.Scheduled as Period)?.EndElement, $"activity[{i}].detail.scheduledPeriod.end");
            var done = ProfileReading.Literal(detail?.StatusElement) == "completed" || result is not null;
            if (name is not null)
            {
                steps.Add(new PreventiveExamStep(name, result, done ? doneOn : null));
            }
        }

        var examStatus = status switch
        {
            "draft" or "on-hold" => "planned",
            "active" => steps.Any(s => s.DoneOn is not null || s.Result is not null) ? "in_progress" : "planned",
            "completed" => "done",
            "revoked" => "cancelled",
            null => null,
            _ => Invalid(read, "Статус осмотра: draft, active, on-hold, completed или revoked."),
        };
        var completedOn = examStatus == "done" ? periodEnd ?? steps.Max(s => s.DoneOn) : null;
        var recommendations = read.Text(carePlan.Note.FirstOrDefault()?.Text, "note[0].text", maxLength: 4000);
        var (doctorId, doctorName) = FhirProfile.Doctor(carePlan.Author, "author", read);
        var correctionReason = FhirProfile.CorrectionReason(carePlan, read);

        if (read.Issues.Any) return null;

        var plannedOn = MoscowTime.DateOf(plannedAt!.Value);
        var title = program == Dispanserization
            ? "Диспансеризация" + (stage is { } s ? $", {s.ToString(CultureInfo.InvariantCulture)} этап" : "")
            : "Профилактический медицинский осмотр";
        var details = RecordDetails.Serialize(new PreventiveExamDetails(program!, stage, examStatus!, plannedOn, completedOn,
            healthGroup, steps, recommendations));
        return new IngestedItem("CarePlan", RecordItemKinds.PreventiveExam, externalId!, snils!, status!, title, plannedAt.Value,
            null, doctorId, doctorName, null, [], details, [], null, correctionReason);
    }

    private static string? Invalid(ProfileReading read, string message)
    {
        read.Fail("status", message);
        return null;
    }
}
