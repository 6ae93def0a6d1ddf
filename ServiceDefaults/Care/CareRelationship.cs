using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.ServiceDefaults.Care;

/// <summary>
/// Why an organization's doctors may read a patient's data (in every service that serves doctors): an attachment (from PatientAttached until
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

/// <summary>
/// The care relationships a service keeps (Appointments' events, <see cref="CareConsumers"/>) and the question they
/// answer: is the patient in the organization's care now.
/// </summary>
public static class CareRelationships
{
    /// <summary>Maps the table care_relationships. Call from OnModelCreating of a service whose doctors read patients' data.</summary>
    public static ModelBuilder AddCareRelationships(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CareRelationship>(care =>
        {
            care.ToTable("care_relationships");
            care.HasKey(c => c.SourceId);
            care.Property(c => c.SourceId).ValueGeneratedNever();
            care.Property(c => c.Kind).HasMaxLength(16);
            care.HasIndex(c => new { c.PatientId, c.OrganizationId });
        });
        return modelBuilder;
    }

    /// <summary>True while any attachment or appointment of the patient to the organization is in force at <paramref name="now"/>.</summary>
    public static Task<bool> IsInCareAsync(this DbContext db, Guid patientId, Guid organizationId, DateTimeOffset now,
        CancellationToken ct = default)
    {
        var at = now.ToUniversalTime();
        return db.Set<CareRelationship>().AsNoTracking().AnyAsync(c =>
            c.PatientId == patientId && c.OrganizationId == organizationId
            && c.ValidFrom <= at && (c.ValidUntil == null || c.ValidUntil > at), ct);
    }
}
