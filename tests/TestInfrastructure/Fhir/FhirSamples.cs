using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Gosuslugi.Health.TestInfrastructure;

/// <summary>
/// Small, valid FHIR R4 resources as a medical organization posts them to <c>POST /fhir/R4/{resourceType}</c> (or
/// <c>/api/v1/records/fhir/{resourceType}</c>), alone or as entries of a transaction <see cref="Transaction"/>.
/// Each builder has a <c>...Node</c> form returning a <see cref="JsonObject"/> that a test may change before posting
/// (<c>.ToJsonString()</c>); the string forms are what most tests need. Reused by the end-to-end tests and the bench.
/// </summary>
public static class FhirSamples
{
    public const string MediaType = "application/fhir+json";
    public const string SnilsSystem = "urn:oid:1.2.643.100.3";
    public const string Icd10System = "http://hl7.org/fhir/sid/icd-10";
    public const string LoincSystem = "http://loinc.org";
    public const string VisitKindSystem = "urn:gosuslugi:health:visit-kind";
    public const string PreventiveProgramSystem = "urn:gosuslugi:health:preventive-program";
    public const string DiagnosticCategorySystem = "http://terminology.hl7.org/CodeSystem/v2-0074";
    public const string ExtensionBase = "https://health.gosuslugi.ru/fhir/StructureDefinition/";
    public const string ConclusionExtension = ExtensionBase + "conclusion";
    public const string AttachmentExtension = ExtensionBase + "attachment";
    public const string CorrectionReasonExtension = ExtensionBase + "correction-reason";
    public const string PreventiveStageExtension = ExtensionBase + "preventive-stage";
    public const string HealthGroupExtension = ExtensionBase + "health-group";

    /// <summary>A visit (Encounter) with one primary diagnosis in a contained Condition.</summary>
    public static string Encounter(string snils, string externalId, DateTimeOffset start, string visitKind = "consultation",
        string specialty = "терапевт", string diagnosisCode = "J06.9",
        string diagnosisName = "Острая инфекция верхних дыхательных путей неуточнённая",
        string? conclusion = "Рекомендовано обильное питьё, контроль через 7 дней.", string? correctionReason = null) =>
        EncounterNode(snils, externalId, start, visitKind, specialty, diagnosisCode, diagnosisName, conclusion, correctionReason)
            .ToJsonString();

    public static JsonObject EncounterNode(string snils, string externalId, DateTimeOffset start, string visitKind = "consultation",
        string specialty = "терапевт", string diagnosisCode = "J06.9",
        string diagnosisName = "Острая инфекция верхних дыхательных путей неуточнённая",
        string? conclusion = "Рекомендовано обильное питьё, контроль через 7 дней.", string? correctionReason = null)
    {
        var encounter = new JsonObject
        {
            ["resourceType"] = "Encounter",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.643.5.1.13.13.12.2.77.7801", ["value"] = externalId }),
            ["status"] = "finished",
            ["class"] = new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = "AMB" },
            ["type"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = VisitKindSystem, ["code"] = visitKind }),
            }),
            ["serviceType"] = new JsonObject { ["text"] = specialty },
            ["subject"] = Subject(snils),
            ["participant"] = new JsonArray(new JsonObject { ["individual"] = Doctor() }),
            ["period"] = new JsonObject { ["start"] = Instant(start), ["end"] = Instant(Earliest(start.AddMinutes(20), DateTimeOffset.UtcNow)) },
            ["location"] = new JsonArray(new JsonObject
            {
                ["location"] = new JsonObject { ["display"] = "Терапевтическое отделение № 2" },
            }),
            ["contained"] = new JsonArray(Condition("dx1", diagnosisCode, diagnosisName, snils)),
            ["diagnosis"] = new JsonArray(new JsonObject
            {
                ["condition"] = new JsonObject { ["reference"] = "#dx1" },
                ["rank"] = 1,
            }),
        };
        var extensions = new JsonArray();
        if (conclusion is not null) extensions.Add(Extension(ConclusionExtension, "valueString", conclusion));
        if (correctionReason is not null) extensions.Add(Extension(CorrectionReasonExtension, "valueString", correctionReason));
        if (extensions.Count > 0) encounter["extension"] = extensions;
        return encounter;
    }

    /// <summary>A lab result (DiagnosticReport, category LAB) with one contained Observation per value.</summary>
    public static string LabReport(string snils, string externalId, DateTimeOffset takenAt,
        params (string Code, string Name, decimal Value, string Unit, decimal? Low, decimal? High)[] values) =>
        LabReportNode(snils, externalId, takenAt, values).ToJsonString();

    public static JsonObject LabReportNode(string snils, string externalId, DateTimeOffset takenAt,
        params (string Code, string Name, decimal Value, string Unit, decimal? Low, decimal? High)[] values)
    {
        if (values.Length == 0)
        {
            values = [("718-7", "Гемоглобин", 135m, "г/л", 120m, 160m), ("6690-2", "Лейкоциты", 11.2m, "10*9/л", 4m, 9m)];
        }

        var contained = new JsonArray();
        var results = new JsonArray();
        for (var i = 0; i < values.Length; i++)
        {
            var (code, name, value, unit, low, high) = values[i];
            var id = $"obs{i + 1}";
            var range = new JsonObject();
            if (low is not null) range["low"] = new JsonObject { ["value"] = low, ["unit"] = unit };
            if (high is not null) range["high"] = new JsonObject { ["value"] = high, ["unit"] = unit };
            var observation = new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = id,
                ["status"] = "final",
                ["code"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = LoincSystem, ["code"] = code, ["display"] = name }),
                },
                ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit },
            };
            if (range.Count > 0) observation["referenceRange"] = new JsonArray(range);
            contained.Add(observation);
            results.Add(new JsonObject { ["reference"] = "#" + id });
        }

        return new JsonObject
        {
            ["resourceType"] = "DiagnosticReport",
            ["identifier"] = new JsonArray(new JsonObject { ["value"] = externalId }),
            ["status"] = "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = DiagnosticCategorySystem, ["code"] = "LAB" }),
            }),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = LoincSystem, ["code"] = "58410-2", ["display"] = "Общий анализ крови" }),
                ["text"] = "Общий анализ крови",
            },
            ["subject"] = Subject(snils),
            ["effectiveDateTime"] = Instant(takenAt),
            ["issued"] = Instant(Earliest(takenAt.AddHours(3), DateTimeOffset.UtcNow)),
            ["performer"] = new JsonArray(Doctor()),
            ["contained"] = contained,
            ["result"] = results,
            ["conclusion"] = "Лейкоцитоз.",
        };
    }

    /// <summary>Adds a PDF (presentedForm) to a DiagnosticReport node.</summary>
    /// <summary>Names the study (DiagnosticReport.code) as the history shows it.</summary>
    public static JsonObject WithTitle(this JsonObject report, string title)
    {
        report["code"]!["text"] = title;
        report["code"]!["coding"]![0]!["display"] = title;
        return report;
    }

    public static JsonObject WithPresentedForm(this JsonObject report, byte[] pdf, string title = "Результат исследования.pdf")
    {
        report["presentedForm"] = new JsonArray(Attachment(pdf, title));
        return report;
    }

    /// <summary>An exam protocol (LOINC 11488-4) or, with <paramref name="discharge"/>, a discharge summary (18842-5).</summary>
    public static string Composition(string snils, string externalId, DateTimeOffset date, bool discharge = false,
        string diagnosisCode = "I10", string diagnosisName = "Эссенциальная (первичная) гипертензия", byte[]? pdf = null,
        string? correctionReason = null) =>
        CompositionNode(snils, externalId, date, discharge, diagnosisCode, diagnosisName, pdf, correctionReason).ToJsonString();

    public static JsonObject CompositionNode(string snils, string externalId, DateTimeOffset date, bool discharge = false,
        string diagnosisCode = "I10", string diagnosisName = "Эссенциальная (первичная) гипертензия", byte[]? pdf = null,
        string? correctionReason = null)
    {
        var (typeCode, typeDisplay, title) = discharge
            ? ("18842-5", "Discharge summary", "Выписной эпикриз")
            : ("11488-4", "Consult note", "Протокол осмотра врача-кардиолога");
        var composition = new JsonObject
        {
            ["resourceType"] = "Composition",
            ["identifier"] = new JsonObject { ["value"] = externalId },
            ["status"] = "final",
            ["type"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = LoincSystem, ["code"] = typeCode, ["display"] = typeDisplay }),
            },
            ["subject"] = Subject(snils),
            ["date"] = Instant(date),
            ["author"] = new JsonArray(Doctor()),
            ["title"] = title,
            ["contained"] = new JsonArray(Condition("dx1", diagnosisCode, diagnosisName, snils)),
            ["section"] = new JsonArray(
                Section("Жалобы и анамнез", null, "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Головные боли по утрам.</p><p>АД до 160/95.</p></div>"),
                Section("Объективный статус", "29545-1", "<div xmlns=\"http://www.w3.org/1999/xhtml\">АД 150/90, ЧСС 78.</div>"),
                Section("Диагноз", "29548-5", "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + diagnosisCode + " " + diagnosisName + "</div>",
                    entryReference: "#dx1"),
                Section("Назначения", "10160-0", "<div xmlns=\"http://www.w3.org/1999/xhtml\">Лозартан 50 мг утром.</div>"),
                Section("Рекомендации", "18776-5", "<div xmlns=\"http://www.w3.org/1999/xhtml\">Ограничить соль, контроль АД.</div>")),
        };
        if (discharge)
        {
            composition["event"] = new JsonArray(new JsonObject
            {
                ["period"] = new JsonObject { ["start"] = Instant(date.AddDays(-7)), ["end"] = Instant(date) },
            });
        }

        var extensions = new JsonArray();
        if (pdf is not null) extensions.Add(new JsonObject { ["url"] = AttachmentExtension, ["valueAttachment"] = Attachment(pdf, title + ".pdf") });
        if (correctionReason is not null) extensions.Add(Extension(CorrectionReasonExtension, "valueString", correctionReason));
        if (extensions.Count > 0) composition["extension"] = extensions;
        return composition;
    }

    /// <summary>A preventive exam (CarePlan): диспансеризация or профилактический осмотр with its steps.</summary>
    public static string CarePlan(string snils, string externalId, DateOnly plannedOn, string program = "dispanserization",
        string status = "completed", int stage = 1, string? healthGroup = "II", string? correctionReason = null) =>
        CarePlanNode(snils, externalId, plannedOn, program, status, stage, healthGroup, correctionReason).ToJsonString();

    public static JsonObject CarePlanNode(string snils, string externalId, DateOnly plannedOn, string program = "dispanserization",
        string status = "completed", int stage = 1, string? healthGroup = "II", string? correctionReason = null)
    {
        var done = status == "completed";
        var doneOn = plannedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // FHIR JSON has no nulls: an element without a value is left out.
        JsonObject Activity(string name, string result)
        {
            var activity = new JsonObject
            {
                ["detail"] = new JsonObject
                {
                    ["status"] = done ? "completed" : "scheduled",
                    ["description"] = name,
                    ["scheduledPeriod"] = done ? new JsonObject { ["end"] = doneOn } : new JsonObject { ["start"] = doneOn },
                },
            };
            if (done) activity["outcomeCodeableConcept"] = new JsonArray(new JsonObject { ["text"] = result });
            return activity;
        }

        var carePlan = new JsonObject
        {
            ["resourceType"] = "CarePlan",
            ["identifier"] = new JsonArray(new JsonObject { ["value"] = externalId }),
            ["status"] = status,
            ["intent"] = "plan",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = PreventiveProgramSystem, ["code"] = program }),
            }),
            ["subject"] = Subject(snils),
            ["period"] = new JsonObject { ["start"] = doneOn },
            ["author"] = Doctor(),
            ["activity"] = new JsonArray(
                Activity("Анкетирование", "Факторы риска не выявлены"),
                Activity("Измерение артериального давления", "125/80 мм рт. ст."),
                Activity("Флюорография лёгких", "Без патологии")),
        };
        if (done) carePlan["note"] = new JsonArray(new JsonObject { ["text"] = "Ходьба 30 минут в день, контроль через год." });
        var extensions = new JsonArray(new JsonObject { ["url"] = PreventiveStageExtension, ["valueInteger"] = stage });
        if (healthGroup is not null) extensions.Add(Extension(HealthGroupExtension, "valueString", healthGroup));
        if (correctionReason is not null) extensions.Add(Extension(CorrectionReasonExtension, "valueString", correctionReason));
        carePlan["extension"] = extensions;
        return carePlan;
    }

    /// <summary>A transaction Bundle creating each resource (POST to its type).</summary>
    public static JsonObject Transaction(params JsonObject[] resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "transaction",
        ["entry"] = new JsonArray(resources.Select(resource => (JsonNode)new JsonObject
        {
            ["fullUrl"] = "urn:uuid:" + Guid.NewGuid(),
            ["resource"] = resource,
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = (string)resource["resourceType"]! },
        }).ToArray()),
    };

    /// <summary>Adds (or replaces) the correction reason of any resource node.</summary>
    public static JsonObject WithCorrectionReason(this JsonObject resource, string reason)
    {
        if (resource["extension"] is not JsonArray extensions)
        {
            extensions = [];
            resource["extension"] = extensions;
        }
        foreach (var old in extensions.OfType<JsonObject>().Where(e => (string?)e["url"] == CorrectionReasonExtension).ToList())
        {
            extensions.Remove(old);
        }
        extensions.Add(Extension(CorrectionReasonExtension, "valueString", reason));
        return resource;
    }

    /// <summary>A small but real PDF document.</summary>
    public static byte[] Pdf(string text = "Test document") =>
        Encoding.ASCII.GetBytes(
            "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% " + text + "\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    public static JsonObject Subject(string snils) => new()
    {
        ["identifier"] = new JsonObject { ["system"] = SnilsSystem, ["value"] = snils },
    };

    public static JsonObject Doctor(string id = "doc-112-233-445-95", string name = "Иванова Мария Петровна") => new()
    {
        ["identifier"] = new JsonObject { ["value"] = id },
        ["display"] = name,
    };

    /// <summary>A diagnosis to contain; R4 requires its subject (the patient, by SNILS as in the resource around it).</summary>
    public static JsonObject Condition(string id, string code, string name, string snils) => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = id,
        ["subject"] = Subject(snils),
        ["code"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = Icd10System, ["code"] = code, ["display"] = name }),
        },
    };

    public static JsonObject Attachment(byte[] content, string title, string contentType = "application/pdf") => new()
    {
        ["contentType"] = contentType,
        ["data"] = Convert.ToBase64String(content),
        ["title"] = title,
    };

    public static JsonObject Extension(string url, string valueField, JsonNode value) => new()
    {
        ["url"] = url,
        [valueField] = value,
    };

    private static JsonObject Section(string title, string? loincCode, string div, string? entryReference = null)
    {
        var section = new JsonObject
        {
            ["title"] = title,
            ["text"] = new JsonObject { ["status"] = "generated", ["div"] = div },
        };
        if (loincCode is not null)
        {
            section["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = LoincSystem, ["code"] = loincCode }),
            };
        }
        if (entryReference is not null)
        {
            section["entry"] = new JsonArray(new JsonObject { ["reference"] = entryReference });
        }
        return section;
    }

    // Samples made "just now" must not carry a date in the future, which Records refuses.
    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>FHIR instant with an offset, seconds precision.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
