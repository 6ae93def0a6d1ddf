using System.Text.Json;
using System.Text.RegularExpressions;
using Gosuslugi.Health.Records.Domain;

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

    /// <summary>identifier[0].value (Composition has one identifier, not a list: both shapes are read).</summary>
    public static string? ExternalId(FhirElement resource)
    {
        var identifier = resource["identifier"];
        if (!identifier.Exists)
        {
            resource["identifier"][0]["value"].Fail("Укажите идентификатор записи в медицинской организации.");
            return null;
        }
        return identifier.FirstOrSelf()["value"].String(required: true, ExternalIdLength,
            "Укажите идентификатор записи в медицинской организации.");
    }

    /// <summary>The patient's SNILS from subject.identifier (system urn:oid:1.2.643.100.3), digits only.</summary>
    public static string? Snils(FhirElement resource)
    {
        var identifier = resource["subject"]["identifier"];
        var system = identifier["system"].String(required: true, 100, "Укажите систему идентификатора пациента (СНИЛС: " + SnilsSystem + ").");
        if (system is not null && system != SnilsSystem)
        {
            identifier["system"].Fail("Пациент указывается по СНИЛС: система " + SnilsSystem + ".");
        }
        var value = identifier["value"].String(required: true, 20, "Укажите СНИЛС пациента.");
        if (value is null) return null;
        var digits = global::Gosuslugi.Health.Contracts.Snils.Normalize(value);
        switch (global::Gosuslugi.Health.Contracts.Snils.Check(digits))
        {
            case global::Gosuslugi.Health.Contracts.Snils.Problem.Format:
                identifier["value"].Fail("СНИЛС состоит из 11 цифр.");
                return null;
            case global::Gosuslugi.Health.Contracts.Snils.Problem.Checksum:
                identifier["value"].Fail("Неверная контрольная сумма СНИЛС.");
                return null;
            default:
                return digits;
        }
    }

    /// <summary>A practitioner reference: identifier.value is the doctor's id, display the name.</summary>
    public static (string? Id, string? Name) Doctor(FhirElement reference)
    {
        if (!reference.Exists) return (null, null);
        var id = reference["identifier"]["value"].Text(64);
        var name = reference["display"].Text(300);
        return (id, name);
    }

    /// <summary>Contained resources by their local id ("#id" references).</summary>
    public static Dictionary<string, FhirElement> Contained(FhirElement resource)
    {
        var byId = new Dictionary<string, FhirElement>(StringComparer.Ordinal);
        foreach (var contained in resource["contained"].Items())
        {
            contained["resourceType"].String(required: true, 64, "Укажите тип вложенного ресурса.");
            if (contained["id"].String(required: true, 64, "Укажите id вложенного ресурса.") is { } id && !byId.TryAdd(id, contained))
            {
                contained["id"].Fail("Этот id уже есть у другого вложенного ресурса.");
            }
        }
        return byId;
    }

    /// <summary>The contained resource a local reference ("#id") points to, checked for its type.</summary>
    public static FhirElement? Resolve(FhirElement reference, Dictionary<string, FhirElement> contained, string resourceType)
    {
        var text = reference["reference"].String(required: true, 100, "Укажите ссылку на вложенный ресурс (#id).");
        if (text is null) return null;
        if (!text.StartsWith('#') || !contained.TryGetValue(text[1..], out var target))
        {
            reference["reference"].Fail("Ссылка должна указывать на вложенный ресурс (contained) в виде #id.");
            return null;
        }
        if (target["resourceType"].Json is not { ValueKind: JsonValueKind.String } type || type.GetString() != resourceType)
        {
            reference["reference"].Fail($"Ссылка должна указывать на ресурс {resourceType}.");
            return null;
        }
        return target;
    }

    /// <summary>A contained Condition as a diagnosis: its ICD-10 coding (required) and name.</summary>
    public static Diagnosis? Diagnosis(FhirElement condition, bool primary)
    {
        var code = condition["code"];
        var coding = code.Coding(Icd10System);
        if (coding is not { } icd)
        {
            code["coding"].Fail("Укажите код диагноза по МКБ-10 (system " + Icd10System + ").");
            return null;
        }
        var value = icd["code"].String(required: true, 16, "Укажите код диагноза по МКБ-10.");
        if (value is null) return null;
        value = value.ToUpperInvariant();
        if (!Icd10Pattern().IsMatch(value))
        {
            icd["code"].Fail("Код МКБ-10 имеет вид A00, J06.9 или S72.00.");
            return null;
        }
        var name = code["text"].Text(500) ?? icd["display"].Text(500) ?? value;
        return new Diagnosis(value, name, primary);
    }

    public static bool IsIcd10(string code) => Icd10Pattern().IsMatch(code);

    /// <summary>A PDF attachment {contentType, data (base64), title}; the only document type a patient is shown.</summary>
    public static IngestedDocument? Document(FhirElement attachment, string defaultFileName)
    {
        if (!attachment.Exists) return null;
        var contentType = attachment["contentType"].String(required: true, 100, "Укажите тип документа (application/pdf).");
        if (contentType is not null && !string.Equals(contentType.Split(';')[0].Trim(), "application/pdf", StringComparison.OrdinalIgnoreCase))
        {
            attachment["contentType"].Fail("Принимаются только документы PDF (application/pdf).");
        }
        var data = attachment["data"].String(required: true, int.MaxValue, "Передайте документ в поле data (base64).");
        var title = attachment["title"].Text(255);
        if (data is null) return null;

        byte[] content;
        try
        {
            content = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            attachment["data"].Fail("Документ должен быть закодирован в base64.");
            return null;
        }
        if (content.Length > MaxDocumentBytes)
        {
            attachment["data"].Fail("Документ больше 10 МБ.");
            return null;
        }
        if (!content.AsSpan().StartsWith("%PDF-"u8))
        {
            attachment["data"].Fail("Документ не является файлом PDF.");
            return null;
        }
        var fileName = string.IsNullOrWhiteSpace(title) ? defaultFileName : title;
        foreach (var c in Path.GetInvalidFileNameChars()) fileName = fileName.Replace(c, '_');
        if (!fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) fileName = fileName.Length > 250 ? fileName[..250] + ".pdf" : fileName + ".pdf";
        return new IngestedDocument("application/pdf", fileName, content, ContentHashing.Sha256Hex(content));
    }

    /// <summary>The correction reason extension (only required when the content differs from the current version).</summary>
    public static string? CorrectionReason(FhirElement resource) =>
        resource.Extension(CorrectionReasonExtension)["valueString"].Text(1000);

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
