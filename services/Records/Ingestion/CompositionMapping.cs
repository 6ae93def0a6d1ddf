using Gosuslugi.Health.Contracts.Records;
using Gosuslugi.Health.Records.Domain;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>
/// An exam protocol or a discharge summary: FHIR Composition. Sections keep their text; well-known sections also fill
/// findings, prescriptions, recommendations and follow-up. Diagnoses are contained Conditions referenced from any
/// section's entry[] (the first is the primary one).
/// </summary>
public static class CompositionMapping
{
    public const string DischargeSummaryLoinc = "18842-5";

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

    public static IngestedItem? Map(Composition composition, ProfileReading read)
    {
        var externalId = FhirProfile.ExternalId(composition.Identifier is { } identifier ? [identifier] : [], read, FhirProfile.ExternalIdPath("Composition"));
        var snils = FhirProfile.Snils(composition.Subject, read);

        var status = ProfileReading.Literal(composition.StatusElement);
        if (status == "entered-in-error")
        {
            read.Fail("status", "Статус документа: preliminary, final или amended.");
        }

        var type = composition.Type;
        var isDischarge = ProfileReading.Coding(type, FhirProfile.LoincSystem).Coding?.Code == DischargeSummaryLoinc;
        var kind = isDischarge ? RecordItemKinds.Discharge : RecordItemKinds.Protocol;

        var date = read.Instant(composition.DateElement, "date", required: true, requiredMessage: "Укажите дату документа.");
        var title = read.Text(composition.Title, "title", maxLength: 500) ?? read.Text(type?.Text, "type.text", maxLength: 500);
        if (title is null)
        {
            read.Fail("title", "Укажите название документа.");
        }
        var (doctorId, doctorName) = FhirProfile.Doctor(composition.Author.FirstOrDefault(), "author[0]", read);
        var (attachmentExtension, attachmentPath) = ProfileReading.Extension(composition, FhirProfile.AttachmentExtension);
        var document = FhirProfile.Document(attachmentExtension?.Value as Attachment, attachmentPath + ".valueAttachment",
            (title ?? "Документ") + ".pdf", read);

        DateTimeOffset? admittedAt = null, dischargedAt = null;
        if (isDischarge)
        {
            var period = composition.Event.FirstOrDefault()?.Period;
            admittedAt = read.Instant(period?.StartElement, "event[0].period.start", required: true, requiredMessage: "Укажите дату поступления.");
            dischargedAt = read.Instant(period?.EndElement, "event[0].period.end", required: true, requiredMessage: "Укажите дату выписки.");
            if (admittedAt is not null && dischargedAt is not null && dischargedAt < admittedAt)
            {
                read.Fail("event[0].period.end", "Дата выписки раньше даты поступления.");
            }
        }

        var contained = FhirProfile.Contained(composition, read);
        var sections = new List<DocumentSection>();
        var fields = new Dictionary<Field, List<string>>();
        var diagnoses = new List<Diagnosis>();
        if (composition.Section.Count == 0 && document is null)
        {
            read.Fail("section", "Документ содержит хотя бы один раздел (section) или вложение PDF.");
        }
        for (var s = 0; s < composition.Section.Count; s++)
        {
            var section = composition.Section[s];
            var sectionTitle = read.Text(section.Title, $"section[{s}].title", required: true, 300, "Укажите заголовок раздела.");
            var div = read.Text(section.Text?.Div, $"section[{s}].text.div", maxLength: 100_000);
            var text = div is null ? null : FhirProfile.PlainText(div);
            for (var e = 0; e < section.Entry.Count; e++)
            {
                if (FhirProfile.Resolve<Condition>(composition, section.Entry[e], $"section[{s}].entry[{e}]", contained, read) is var (condition, path)
                    && FhirProfile.Diagnosis(condition, path, primary: diagnoses.Count == 0, read) is { } diagnosis
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

        var correctionReason = FhirProfile.CorrectionReason(composition, read);
        if (read.Issues.Any) return null;

        string? Joined(Field field) => fields.TryGetValue(field, out var texts) ? string.Join('\n', texts) : null;
        var details = RecordDetails.Serialize(new DocumentDetails(sections, diagnoses, Joined(Field.Findings),
            Joined(Field.Prescriptions), Joined(Field.Recommendations), Joined(Field.FollowUp), admittedAt, dischargedAt));
        return new IngestedItem("Composition", kind, externalId!, snils!, status!, title!, date!.Value,
            null, doctorId, doctorName, null, diagnoses, details, [], document, correctionReason);
    }

    private static Field FieldOf(Composition.SectionComponent section, string title)
    {
        foreach (var coding in section.Code?.Coding ?? [])
        {
            if (coding.Code is { } code && FieldByLoinc.TryGetValue(code.Trim(), out var byCode)) return byCode;
        }
        var lower = title.Trim().ToLowerInvariant();
        foreach (var (prefix, field) in FieldByTitle)
        {
            if (lower.StartsWith(prefix, StringComparison.Ordinal)) return field;
        }
        return Field.None;
    }
}
