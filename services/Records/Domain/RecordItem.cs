using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// One version of an item of a patient's record as a medical organization published it: a visit, a lab or diagnostic
/// result, an exam protocol, a discharge summary or a preventive exam. A correction adds a new version with the same
/// <see cref="RecordId"/> and marks this one superseded; nothing is ever deleted.
/// </summary>
public sealed class RecordItem
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Shared by every version of the item.</summary>
    public Guid RecordId { get; init; }

    public int Version { get; init; } = 1;

    /// <summary>True for the version the patient sees; false once a correction superseded it.</summary>
    public bool IsCurrent { get; set; } = true;

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>The organization's name as its token carried it when it published.</summary>
    public required string OrganizationName { get; init; }

    /// <summary>The organization's own identifier of the item (FHIR <c>identifier.value</c>); unique per organization and version.</summary>
    public required string ExternalId { get; init; }

    /// <summary>One of <c>RecordItemKinds</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>FHIR resource type it came as (Encounter, DiagnosticReport, Composition, CarePlan).</summary>
    public required string ResourceType { get; init; }

    /// <summary>The resource's status (FHIR: finished, final, amended, planned, ...).</summary>
    public required string Status { get; init; }

    /// <summary>What the patient sees in the history, e.g. "Приём врача-терапевта", "Общий анализ крови" (sealed: medical content).</summary>
    public required Sealed Title { get; init; }

    /// <summary>When the visit took place, the sample was taken, the document was signed or the exam is planned.</summary>
    public DateTimeOffset EffectiveAt { get; init; }

    public string? DepartmentName { get; init; }

    /// <summary>The doctor's identifier as the organization sends it (e.g. SNILS of the practitioner or a local id).</summary>
    public string? DoctorId { get; init; }

    public string? DoctorName { get; init; }

    public string? Specialty { get; init; }

    /// <summary>Sections (<c>RecordSections</c>) the item belongs to: its kind's section plus sensitive ones from its diagnoses.</summary>
    public required string[] Sections { get; init; }

    /// <summary>ICD-10 codes of the item's diagnoses, for filters and sensitive sections.</summary>
    public string[] DiagnosisCodes { get; init; } = [];

    /// <summary>The details the patient reads (kind-specific JSON, camelCase), as Records normalised them; sealed.</summary>
    public required Sealed Details { get; init; }

    /// <summary>SHA-256 (hex) of the normalised content: a resend with the same content is recognised and changes nothing.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Who sent it: the client id of the organization's token.</summary>
    public required string SubmittedBy { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>For a correction: why the organization corrected the item (required) and which version it replaced.</summary>
    public Sealed? CorrectionReason { get; init; }

    public Guid? CorrectsItemId { get; init; }

    /// <summary>When a newer version superseded this one.</summary>
    public DateTimeOffset? SupersededAt { get; set; }

    public bool HasDocument { get; init; }

    /// <summary>When the patient was reminded of this version's planned preventive exam (kind preventive_exam only).</summary>
    public DateTimeOffset? NotifiedAt { get; private set; }

    public void MarkNotified(DateTimeOffset at) => NotifiedAt = at;
}
