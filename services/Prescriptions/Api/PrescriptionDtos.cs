using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;

namespace Gosuslugi.Health.Prescriptions.Api;

public sealed record OrganizationDto(Guid Id, string Name);

public sealed record PharmacyDto(Guid Id, string Name, string Address, string Hours, bool ServesPreferential)
{
    public static PharmacyDto From(Pharmacy p) => new(p.Id, p.Name, p.Address, p.Hours, p.ServesPreferential);
}

public sealed record MedicationDto(string? Code, string Name);

/// <summary>One prescription in a list or a card, as its reader may see it.</summary>
public sealed record PrescriptionResponse(
    Guid Id,
    int Version,
    string Status,
    MedicationDto Medication,
    string DosageText,
    StructuredDose? Dose,
    decimal Quantity,
    string? QuantityUnit,
    decimal DispensedQuantity,
    decimal RemainingQuantity,
    bool Preferential,
    ReimbursementProgram? Program,
    DateOnly AuthoredOn,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string DoctorName,
    OrganizationDto Organization,
    Guid? PharmacyId,
    DateTimeOffset? SentAt,
    DateTimeOffset? ReservedAt,
    string? Note)
{
    public static PrescriptionResponse From(Prescription p, PatientCipher cipher, DateOnly today)
    {
        var c = PrescriptionContent.Open(cipher, p.Content);
        return new(p.Id, p.Version, StatusOn(p, today), new MedicationDto(c.MedicationCode, c.MedicationName), c.DosageText, c.Dose,
            p.Quantity, c.QuantityUnit, p.DispensedQuantity, p.RemainingQuantity, p.Preferential, c.Program, p.AuthoredOn, p.ValidFrom,
            p.ValidUntil, c.DoctorName, new OrganizationDto(p.OrganizationId, p.OrganizationName), p.PharmacyId, p.SentAt, p.ReservedAt,
            c.Note);
    }

    /// <summary>An active prescription past its last day is expired even before the sweep marks it so.</summary>
    public static string StatusOn(Prescription p, DateOnly today) =>
        p.Status == PrescriptionStatuses.Active && p.ValidUntil < today ? PrescriptionStatuses.Expired : p.Status;
}

public sealed record DispenseDto(Guid Id, Guid PharmacyId, decimal Quantity, DateTimeOffset DispensedAt)
{
    public static DispenseDto From(MedicationDispense d) => new(d.Id, d.PharmacyId, d.Quantity, d.DispensedAt);
}

/// <summary>The card: the prescription, its pharmacy and what was dispensed.</summary>
public sealed record PrescriptionCardResponse(PrescriptionResponse Prescription, PharmacyDto? Pharmacy, IReadOnlyList<DispenseDto> Dispenses);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last page.</param>
public sealed record PrescriptionListResponse(IReadOnlyList<PrescriptionResponse> Items, string? NextCursor);

public sealed record PharmacyListResponse(IReadOnlyList<PharmacyDto> Items);

/// <summary>The QR code's content (a signed reference, no personal data) for printing or showing at a pharmacy.</summary>
public sealed record PrescriptionReferenceResponse(Guid PrescriptionId, string Reference);

public sealed record SendToPharmacyRequest(Guid? PharmacyId) : IJsonRequest<SendToPharmacyRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<SendToPharmacyRequest>.FormatMessages => Formats;

    internal static readonly Dictionary<string, string> Formats = new()
    {
        ["pharmacyId"] = "Аптека указывается идентификатором (UUID).",
    };
}

public sealed record ScanRequest(string? Reference) : IJsonRequest<ScanRequest>;

public sealed record DispenseRequest(decimal? Quantity) : IJsonRequest<DispenseRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<DispenseRequest>.FormatMessages => Formats;

    internal static readonly Dictionary<string, string> Formats = new()
    {
        ["quantity"] = "Количество указывается числом.",
    };
}

/// <summary>What the organization gets back for a published prescription (version).</summary>
public sealed record PublishedPrescriptionResponse(Guid Id, string ExternalId, int Version, string Status, string ContentHash,
    DateTimeOffset UpdatedAt)
{
    public static PublishedPrescriptionResponse From(Prescription p) =>
        new(p.Id, p.ExternalId, p.Version, p.Status, p.ContentHash.Trim(), p.UpdatedAt);
}
