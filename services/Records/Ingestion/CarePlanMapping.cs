using System.Globalization;
using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>A preventive exam (диспансеризация, профилактический осмотр): FHIR CarePlan with its steps as activities.</summary>
public static class CarePlanMapping
{
    public const string Dispanserization = "dispanserization";
    public const string ProfExam = "prof_exam";

    private static readonly IReadOnlySet<string> HealthGroups = new HashSet<string>(StringComparer.Ordinal) { "I", "II", "IIIa", "IIIb" };

    public static IngestedItem? Map(FhirElement carePlan)
    {
        var externalId = FhirProfile.ExternalId(carePlan);
        var snils = FhirProfile.Snils(carePlan);

        var status = carePlan["status"].String(required: true, 32, "Укажите статус осмотра.");
        var category = carePlan["category"][0];
        string? program = null;
        if (category.Coding(FhirProfile.PreventiveProgramSystem) is { } programCoding)
        {
            program = programCoding["code"].String(required: true, 32, "Укажите программу: dispanserization или prof_exam.");
            if (program is not null and not (Dispanserization or ProfExam))
            {
                programCoding["code"].Fail("Программа: dispanserization (диспансеризация) или prof_exam (профилактический осмотр).");
                program = null;
            }
        }
        else
        {
            category["coding"].Fail("Укажите программу (system " + FhirProfile.PreventiveProgramSystem + "): dispanserization или prof_exam.");
        }

        // Planned for a date, possibly in the future.
        var plannedAt = carePlan["period"]["start"].Instant(required: true, allowFuture: true, "Укажите плановую дату осмотра.");
        var periodEnd = carePlan["period"]["end"].Date();

        var stageElement = carePlan.Extension(FhirProfile.PreventiveStageExtension)["valueInteger"];
        var stage = stageElement.Integer();
        if (stage is not null and not (1 or 2))
        {
            stageElement.Fail("Этап диспансеризации: 1 или 2.");
        }
        var groupElement = carePlan.Extension(FhirProfile.HealthGroupExtension)["valueString"];
        var healthGroup = groupElement.Text(8);
        if (healthGroup is not null && !HealthGroups.Contains(healthGroup))
        {
            groupElement.Fail("Группа здоровья: I, II, IIIa или IIIb.");
        }

        var steps = new List<PreventiveExamStep>();
        foreach (var activity in carePlan["activity"].Items())
        {
            var detail = activity["detail"];
            var name = detail["description"].String(required: true, 300, "Укажите название этапа осмотра.");
            var result = activity["outcomeCodeableConcept"][0]["text"].Text(1000);
            var stepStatus = detail["status"].Text(32);
            var doneOn = detail["scheduledPeriod"]["end"].Date();
            var done = stepStatus == "completed" || result is not null;
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
            _ => Invalid(carePlan["status"], "Статус осмотра: draft, active, on-hold, completed или revoked."),
        };
        var completedOn = examStatus == "done" ? periodEnd ?? steps.Max(s => s.DoneOn) : null;
        var recommendations = carePlan["note"][0]["text"].Text(4000);
        var (doctorId, doctorName) = FhirProfile.Doctor(carePlan["author"]);
        var correctionReason = FhirProfile.CorrectionReason(carePlan);

        if (carePlan.Problems.Any) return null;

        var plannedOn = MoscowTime.DateOf(plannedAt!.Value);
        var title = program == Dispanserization
            ? "Диспансеризация" + (stage is { } s ? $", {s.ToString(CultureInfo.InvariantCulture)} этап" : "")
            : "Профилактический медицинский осмотр";
        var details = RecordDetails.Serialize(new PreventiveExamDetails(program!, stage, examStatus!, plannedOn, completedOn,
            healthGroup, steps, recommendations));
        return new IngestedItem("CarePlan", RecordItemKinds.PreventiveExam, externalId!, snils!, status!, title, plannedAt.Value,
            null, doctorId, doctorName, null, [], details, [], null, correctionReason);
    }

    private static string? Invalid(FhirElement element, string message)
    {
        element.Fail(message);
        return null;
    }
}
