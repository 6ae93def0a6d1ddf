using System.Text.RegularExpressions;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Records.Domain;
using Hl7.Fhir.Model;

namespace Gosuslugi.Health.Records.Ingestion;

/// <summary>Systems, extensions and common elements of the FHIR R4 profile Records accepts (README, "Publishing records").</summary>
public static partial class FhirProfile
{
    public const string SnilsSystem = "urn:oid:1.2.643.100.3";
    public const string Icd10System = "http://hl7.org/fhir/sid/icd-10";
    public const string LoincSystem = "http://loinc.org";
    public const string VisitKindSystem = "urn:gosuslugi:health:visit-kind";
    public const string PreventiveProgramSystem = "urn:gosuslugi:health:preventive-program";
    public const string DiagnosticCategorySystem = "http://terminology.hl7.org/CodeSystem/v2-0074";
    public const string InterpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    public const string ExtensionBase = "https://health.gosuslugi.ru/fhir/StructureDefinition/";
    public const string ConclusionExtension = ExtensionBase + "conclusion";
    public const string AttachmentExtension = ExtensionBase + "attachment";
    public const string CorrectionReasonExtension = ExtensionBase + "correction-reason";
    public const string PreventiveStageExtension = ExtensionBase + "preventive-stage";
    public const string HealthGroupExtension = ExtensionBase + "health-group";

    /// <summary>The FHIR path under which a missing correction reason is reported.</summary>
    public const string CorrectionReasonPath = "extension.where(url='" + CorrectionReasonExtension + "').valueString";

    public const int ExternalIdLength = 128;
    public const int MaxDocumentBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyList<string> ResourceTypes = ["Encounter", "DiagnosticReport", "Composition", "CarePlan"];

    /// <summary>A resource of the profile mapped to what Records stores, or null (with its problems in <paramref name="read"/>).</summary>
    public static IngestedItem? Map(Resource resource, ProfileReading read) => resource switch
    {
        Encounter encounter => EncounterMapping.Map(encounter, read),
        DiagnosticReport report => DiagnosticReportMapping.Map(report, read),
        Composition composition => CompositionMapping.Map(composition, read),
        CarePlan carePlan => CarePlanMapping.Map(carePlan, read),
        _ => throw new InvalidOperationException($"No mapping for {resource.TypeName}."),
    };

    /// <summary>Where a resource type carries the organization's own id.</summary>
    public static string ExternalIdPath(string resourceType) => resourceType == "Composition" ? "identifier.value" : "identifier[0].value";

    /// <summary>The organization's own id of the item: identifier[0].value (Composition has one identifier, not a list).</summary>
    public static string? ExternalId(IReadOnlyList<Identifier> identifiers, ProfileReading read, string path = "identifier[0].value")
    {
        var value = identifiers.Count > 0 ? identifiers[0].Value : null;
        return read.Text(value, path, required: true, ExternalIdLength, "Укажите идентификатор записи в медицинской организации.");
    }

    /// <summary>The patient's SNILS from subject.identifier (system urn:oid:1.2.643.100.3), digits only.</summary>
    public static string? Snils(ResourceReference? subject, ProfileReading read)
    {
        var identifier = subject?.Identifier;
        var system = read.Text(identifier?.System, "subject.identifier.system", required: true, 100,
            "Укажите систему идентификатора пациента (СНИЛС: " + SnilsSystem + ").");
        if (system is not null && system != SnilsSystem)
        {
            read.Fail("subject.identifier.system", "Пациент указывается по СНИЛС: система " + SnilsSystem + ".");
        }
        var value = read.Text(identifier?.Value, "subject.identifier.value", required: true, 20, "Укажите СНИЛС пациента.");
        if (value is null) return null;
        var digits = global::Gosuslugi.Health.Contracts.Snils.Normalize(value);
        switch (global::Gosuslugi.Health.Contracts.Snils.Check(digits))
        {
            case global::Gosuslugi.Health.Contracts.Snils.Problem.Format:
                read.Fail("subject.identifier.value", "СНИЛС состоит из 11 цифр.");
                return null;
            case global::Gosuslugi.Health.Contracts.Snils.Problem.Checksum:
                read.Fail("subject.identifier.value", "Неверная контрольная сумма СНИЛС.");
                return null;
            default:
                return digits;
        }
    }

    /// <summary>The SNILS of a resource the profile takes, or null (without naming problems: the mapping names them).</summary>
    public static string? SnilsOf(Resource resource) => Snils(resource switch
    {
        Encounter encounter => encounter.Subject,
        DiagnosticReport report => report.Subject,
        Composition composition => composition.Subject,
        CarePlan carePlan => carePlan.Subject,
        _ => null,
    }, new ProfileReading(new FhirIssues(resource.TypeName), DateTimeOffset.MaxValue));

    /// <summary>A practitioner reference: identifier.value is the doctor's id, display the name.</summary>
    public static (string? Id, string? Name) Doctor(ResourceReference? reference, string path, ProfileReading read) =>
        reference is null ? (null, null)
            : (read.Text(reference.Identifier?.Value, path + ".identifier.value", maxLength: 64), read.Text(reference.Display, path + ".display", maxLength: 300));

    /// <summary>Contained resources by their local id ("#id" references).</summary>
    public static Dictionary<string, Resource> Contained(DomainResource resource, ProfileReading read)
    {
        var byId = new Dictionary<string, Resource>(StringComparer.Ordinal);
        for (var i = 0; i < resource.Contained.Count; i++)
        {
            var contained = resource.Contained[i];
            if (read.Text(contained.Id, $"contained[{i}].id", required: true, 64, "Укажите id вложенного ресурса.") is { } id
                && !byId.TryAdd(id, contained))
            {
                read.Fail($"contained[{i}].id", "Этот id уже есть у другого вложенного ресурса.");
            }
        }
        return byId;
    }

    /// <summary>The contained resource a local reference ("#id") points to, checked for its type, and its path.</summary>
    public static (T Resource, string Path)? Resolve<T>(DomainResource owner, ResourceReference? reference, string path,
        Dictionary<string, Resource> contained, ProfileReading read) where T : Resource
    {
        var text = read.Text(reference?.Reference, path + ".reference", required: true, 100, "Укажите ссылку на вложенный ресурс (#id).");
        if (text is null) return null;
        if (!text.StartsWith('#') || !contained.TryGetValue(text[1..], out var target))
        {
            read.Fail(path + ".reference", "Ссылка должна указывать на вложенный ресурс (contained) в виде #id.");
            return null;
        }
        if (target is not T typed)
        {
            read.Fail(path + ".reference", $"Ссылка должна указывать на ресурс {ModelInfo.GetFhirTypeNameForType(typeof(T))}.");
            return null;
        }
        return (typed, $"contained[{owner.Contained.IndexOf(target)}]");
    }

    /// <summary>A contained Condition as a diagnosis: its ICD-10 coding (required) and name.</summary>
    public static Diagnosis? Diagnosis(Condition condition, string path, bool primary, ProfileReading read)
    {
        var (icd, index) = ProfileReading.Coding(condition.Code, Icd10System);
        if (icd is null)
        {
            read.Fail(path + ".code.coding", "Укажите код диагноза по МКБ-10 (system " + Icd10System + ").");
            return null;
        }
        var codePath = $"{path}.code.coding[{index}].code";
        var value = read.Text(icd.Code, codePath, required: true, 16, "Укажите код диагноза по МКБ-10.");
        if (value is null) return null;
        value = value.ToUpperInvariant();
        if (!Icd10Pattern().IsMatch(value))
        {
            read.Fail(codePath, "Код МКБ-10 имеет вид A00, J06.9 или S72.00.");
            return null;
        }
        var name = read.Text(condition.Code?.Text, path + ".code.text", maxLength: 500)
            ?? read.Text(icd.Display, $"{path}.code.coding[{index}].display", maxLength: 500) ?? value;
        return new Diagnosis(value, name, primary);
    }

    public static bool IsIcd10(string code) => Icd10Pattern().IsMatch(code);

    /// <summary>A PDF attachment {contentType, data (base64), title}; the only document type a patient is shown.</summary>
    public static IngestedDocument? Document(Attachment? attachment, string path, string defaultFileName, ProfileReading read)
    {
        if (attachment is null) return null;
        var contentType = read.Text(attachment.ContentType, path + ".contentType", required: true, 100, "Укажите тип документа (application/pdf).");
        if (contentType is not null && !string.Equals(contentType.Split(';')[0].Trim(), "application/pdf", StringComparison.OrdinalIgnoreCase))
        {
            read.Fail(path + ".contentType", "Принимаются только документы PDF (application/pdf).");
        }
        var title = read.Text(attachment.Title, path + ".title", maxLength: 255);
        var content = attachment.Data;
        if (content is null || content.Length == 0)
        {
            read.Fail(path + ".data", "Передайте документ в поле data (base64).");
            return null;
        }
        if (content.Length > MaxDocumentBytes)
        {
            read.Fail(path + ".data", "Документ больше 10 МБ.");
            return null;
        }
        if (!content.AsSpan().StartsWith("%PDF-"u8))
        {
            read.Fail(path + ".data", "Документ не является файлом PDF.");
            return null;
        }
        var fileName = string.IsNullOrWhiteSpace(title) ? defaultFileName : title;
        foreach (var c in Path.GetInvalidFileNameChars()) fileName = fileName.Replace(c, '_');
        if (!fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) fileName = fileName.Length > 250 ? fileName[..250] + ".pdf" : fileName + ".pdf";
        return new IngestedDocument("application/pdf", fileName, content, ContentHashing.Sha256Hex(content));
    }

    /// <summary>The correction reason extension (only required when the content differs from the current version).</summary>
    public static string? CorrectionReason(DomainResource resource, ProfileReading read)
    {
        var (extension, path) = ProfileReading.Extension(resource, CorrectionReasonExtension);
        return read.Text((extension?.Value as FhirString)?.Value, path + ".valueString");
    }

    /// <summary>Plain text of an XHTML narrative: tags removed, block ends become line breaks, entities decoded.</summary>
    public static string PlainText(string xhtml)
    {
        var text = BlockEndPattern().Replace(xhtml, "\n");
        text = TagPattern().Replace(text, "");
        text = System.Net.WebUtility.HtmlDecode(text);
        var lines = text.Split('\n').Select(l => SpacePattern().Replace(l, " ").Trim()).Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^[A-Z]\d{2}(\.\d{1,2})?$")]
    private static partial Regex Icd10Pattern();

    [GeneratedRegex(@"<\s*(br\s*/?|/p|/div|/li|/tr|/h[1-6])\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEndPattern();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"[ \t\r\u00A0]+")]
    private static partial Regex SpacePattern();
}
