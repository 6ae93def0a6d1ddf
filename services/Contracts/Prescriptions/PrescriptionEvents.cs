namespace Gosuslugi.Health.Contracts.Prescriptions;

/// <summary>Statuses of an e-prescription as the patient sees them.</summary>
public static class PrescriptionStatuses
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
}

/// <summary>A medical organization issued (or changed) an e-prescription of the patient.</summary>
public sealed record PrescriptionIssued(
    Guid PrescriptionId,
    Guid PatientId,
    int Version,
    string OrganizationName,
    string Status,
    DateOnly ValidUntil,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>
/// Something happened to the patient's prescription at a pharmacy or by time: sent, reserved, (partly) dispensed, expired.
/// No medicine names: the notification only says what happened and where to look.
/// </summary>
public sealed record PrescriptionStatusChanged(
    Guid PrescriptionId,
    Guid PatientId,
    string Change,
    string Status,
    string? PharmacyName,
    decimal? DispensedQuantity,
    decimal? RemainingQuantity,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>What <see cref="PrescriptionStatusChanged.Change"/> says happened.</summary>
public static class PrescriptionChanges
{
    public const string SentToPharmacy = "sent_to_pharmacy";
    public const string Reserved = "reserved";
    public const string Dispensed = "dispensed";
    public const string PartlyDispensed = "partly_dispensed";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

/// <summary>An unused prescription of the patient expires on <paramref name="ValidUntil"/> (told once, a few days before).</summary>
public sealed record PrescriptionExpiring(
    Guid PrescriptionId,
    Guid PatientId,
    DateOnly ValidUntil,
    DateTimeOffset OccurredAt) : IPatientEvent;
