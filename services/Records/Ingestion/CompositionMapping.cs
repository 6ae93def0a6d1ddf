using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// An exam protocol or a discharge summary: FHIR Composition. Sections keep their text; well-known sections also fill
/// findings, prescriptions, recommendations and follow-up. Diagnoses are contained Conditions referenced from any
/// section's entry[] (the first is the primary one).
/// </summary>
public static class CompositionMapping
{
    public const string DischargeSummaryLoinc = "18842-5";

    private static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
        { "preliminary", "final", "amended" };

    private enum Field { None, Findings, Prescriptions, Recommendations, FollowUp }

    // LOINC section codes and Russian titles (as a title starts) of the sections with a field of their own.
    private static readonly Dictionary<string, Field> FieldByLoinc = new(StringComparer.Ordinal)
    {
        ["29545-1"] = Field.Findings,          // Physical findings
        ["10210-3"] = Field.Findings,          // Physical findings of General status
        ["55110-1"] = Field.Findings,          // Conclusions
        ["10160-0"] = Field.Prescriptions,     // History of medication use
        ["29549-3"] = Field.Prescriptions,     // Medication administered
        ["18776-5"] = Field.Recommendations,   // Plan of care
        ["69730-0"] = Field.Recommendations,   // Instructions
        ["8653-8"] = Field.FollowUp,           // Hospital discharge instructions
        ["18783-1"] = Field.FollowUp,          // Study recommendation (follow-up)
    };

    private static readonly (string Prefix, Field Field)[] FieldByTitle =
    [
        ("заключение", Field.Findings),
        ("объективный статус", Field.Findings),
        ("результаты осмотра", Field.Findings),
        ("назначения", Field.Prescriptions),
        ("лечение", Field.Prescriptions),
        ("рекомендации", Field.Recommendations),
        ("явка", Field.FollowUp),
        ("повторный приём", Field.FollowUp),
        ("повторный прием", Field.FollowUp),
        ("наблюдение", Field.FollowUp),
        ("контроль", Field.FollowUp),
    ];

    public static IngestedItem? Map(FhirElement composition)
    {
        var externalId = FhirProfile.ExternalId(composition);
        var snils = FhirProfile.Snils(composition);

        var status = composition["status"].String(required: true, 32, "Укажите статус документа.");
        if (status is not null && !Statuses.Contains(status))
        {
            composition["status"].Fail("Статус документа: preliminary, final или amended.");
        }

        var type = composition["type"];
        if (!type.Exists)
        {
            type["coding"].Fail("Укажите тип документа (LOINC 11488-4 протокол осмотра, 18842-5 выписной эпикриз).");
        }
        var isDischarge = type.Coding(FhirProfile.LoincSystem) is { } loinc && loinc["code"].Text(32) == DischargeSummaryLoinc;
        var kind = isDischarge ? RecordItemKinds.Discharge : RecordItemKinds.Protocol;

        var date = composition["date"].Instant(required: true, requiredMessage: "Укажите дату документа.");
        var title = composition["title"].Text(500) ?? type["text"].Text(500);
        if (title is null)
        {
            composition["title"].Fail("Укажите название документа.");
        }
        var (doctorId, doctorName) = FhirProfile.Doctor(composition["author"][0]);
        var attachment = composition.Extension(FhirProfile.AttachmentExtension)["valueAttachment"];
        var document = FhirProfile.Document(attachment, (title ?? "Документ") + ".pdf");

        DateTimeOffset? admittedAt = null, dischargedAt = null;
        if (isDischarge)
        {
            var period = composition["event"][0]["period"];
            admittedAt = period["start"].Instant(required: true, requiredMessage: "Укажите дату поступления.");
            dischargedAt = period["end"].Instant(required: true, requiredMessage: "Укажите дату выписки.");
            if (admittedAt is not null && dischargedAt is not null && dischargedAt < admittedAt)
            {
                period["end"].Fail("Дата выписки раньше даты поступления.");
            }
        }

        var contained = FhirProfile.Contained(composition);
        var sections = new List<DocumentSection>();
        var fields = new Dictionary<Field, List<string>>();
        var diagnoses = new List<Diagnosis>();
        var sectionElements = composition["section"].Items();
        if (sectionElements.Count == 0 && document is null)
        {
            composition["section"].Fail("Документ содержит хотя бы один раздел (section) или вложение PDF.");
        }
        foreach (var section in sectionElements)
        {
            var sectionTitle = section["title"].String(required: true, 300, "Укажите заголовок раздела.");
            var div = section["text"]["div"].String(maxLength: 100_000);
            var text = div is null ? null : FhirProfile.PlainText(div);
            foreach (var entry in section["entry"].Items())
            {
                if (FhirProfile.Resolve(entry, contained, "Condition") is { } condition
                    && FhirProfile.Diagnosis(condition, primary: diagnoses.Count == 0) is { } diagnosis
                    && diagnoses.All(d => d.Code != diagnosis.Code))
                {
                    diagnoses.Add(diagnosis);
                }
            }
            if (sectionTitle is null || string.IsNullOrEmpty(text)) continue;

            sections.Add(new DocumentSection(sectionTitle, text));
            var field = FieldOf(section, sectionTitle);
            if (field != Field.None)
            {
                if (!fields.TryGetValue(field, out var texts)) fields[field] = texts = [];
                texts.Add(text);
            }
        }

        var correctionReason = FhirProfile.CorrectionReason(composition);
        if (composition.Problems.Any) return null;

        string? Joined(Field field) => fields.TryGetValue(field, out var texts) ? string.Join('\n', texts) : null;
        var details = RecordDetails.Serialize(new DocumentDetails(sections, diagnoses, Joined(Field.Findings),
            Joined(Field.Prescriptions), Joined(Field.Recommendations), Joined(Field.FollowUp), admittedAt, dischargedAt));
        return new IngestedItem("Composition", kind, externalId!, snils!, status!, title!, date!.Value,
            null, doctorId, doctorName, null, diagnoses, details, [], document, correctionReason);
    }

    private static Field FieldOf(FhirElement section, string title)
    {
        foreach (var coding in section["code"]["coding"].Items())
        {
            if (coding["code"].Text(32) is { } code && FieldByLoinc.TryGetValue(code, out var byCode)) return byCode;
        }
        var lower = title.Trim().ToLowerInvariant();
        foreach (var (prefix, field) in FieldByTitle)
        {
            if (lower.StartsWith(prefix, StringComparison.Ordinal)) return field;
        }
        return Field.None;
    }
}
