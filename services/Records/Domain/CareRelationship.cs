namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// Why an organization's doctors may read a patient's record: an attachment (from PatientAttached until
/// PatientDetached) or an appointment (from booking until some days after it; a cancelled one ends at once). Learned
/// from Appointments' events.
/// </summary>
public sealed class CareRelationship
{
    /// <summary>The attachment's or appointment's id.</summary>
    public Guid SourceId { get; init; }

    /// <summary>"attachment" or "appointment".</summary>
    public required string Kind { get; init; }

    public Guid PatientId { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>For an appointment, its doctor (an appointment opens the record to the whole organization's doctors; kept for the log).</summary>
    public Guid? DoctorId { get; init; }

    public DateTimeOffset ValidFrom { get; set; }

    /// <summary>Null while it lasts.</summary>
    public DateTimeOffset? ValidUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public const string Attachment = "attachment";
    public const string Appointment = "appointment";
}
