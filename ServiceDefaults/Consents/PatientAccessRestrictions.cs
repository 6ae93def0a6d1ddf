using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.ServiceDefaults.Consents;

/// <summary>
/// A patient's restriction of who may see their record, as a service keeps it from identity's
/// <see cref="AccessRestrictionChanged"/> events: one row per restriction, its latest state.
/// </summary>
public sealed class PatientAccessRestriction
{
    public const string OrganizationKind = "organization";
    public const string SectionKind = "section";

    public Guid RestrictionId { get; set; }
    public Guid PatientId { get; set; }

    /// <summary><see cref="OrganizationKind"/> or <see cref="SectionKind"/>.</summary>
    public required string Kind { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary>One of <see cref="RecordSections"/>; for an organization, null means the whole record.</summary>
    public string? Section { get; set; }

    public bool Active { get; set; }

    /// <summary>When the state in this row was decided in identity: an older event never overwrites a newer one.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}

public static class PatientAccessRestrictions
{
    /// <summary>Maps the table patient_access_restrictions. Call from OnModelCreating of a service that keeps restrictions.</summary>
    public static ModelBuilder AddPatientAccessRestrictions(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PatientAccessRestriction>(e =>
        {
            e.ToTable("patient_access_restrictions");
            e.HasKey(r => r.RestrictionId);
            e.Property(r => r.RestrictionId).ValueGeneratedNever();
            e.Property(r => r.Kind).HasMaxLength(20);
            e.Property(r => r.Section).HasMaxLength(50);
            // Every read of a record asks about one patient's restrictions in force.
            e.HasIndex(r => r.PatientId).HasDatabaseName("ix_patient_access_restrictions_active").HasFilter("active");
        });
        return modelBuilder;
    }

    /// <summary>
    /// Registers <see cref="AccessRestrictionsConsumer{TDb}"/> on the queue "{service}-access-restrictions" (MassTransit
    /// would name a generic consumer after its type argument).
    /// </summary>
    public static IBusRegistrationConfigurator AddAccessRestrictionsConsumer<TDb>(this IBusRegistrationConfigurator bus,
        IHostApplicationBuilder builder) where TDb : DbContext
    {
        var queue = TelemetryExtensions.ServiceName(builder) + "-access-restrictions";
        bus.AddConsumer<AccessRestrictionsConsumer<TDb>>().Endpoint(e => e.Name = queue);
        return bus;
    }

    /// <summary>
    /// True when the patient has restricted <paramref name="organizationId"/> from seeing <paramref name="section"/> of
    /// their record: the organization is refused the whole record or that section, or the section is hidden from every
    /// organization but the one that wrote the data (<paramref name="writtenBy"/>). With <paramref name="section"/> null
    /// (the record as a whole) only restrictions of the whole record count; filter sections one by one.
    /// </summary>
    public static Task<bool> IsRestrictedAsync(this DbContext db, Guid patientId, Guid organizationId, string? section,
        CancellationToken ct = default, Guid? writtenBy = null) =>
        db.Set<PatientAccessRestriction>().AsNoTracking().AnyAsync(r =>
            r.PatientId == patientId && r.Active
            && ((r.Kind == PatientAccessRestriction.OrganizationKind && r.OrganizationId == organizationId
                 && (r.Section == null || r.Section == section))
                || (r.Kind == PatientAccessRestriction.SectionKind && section != null && r.Section == section
                    && (writtenBy == null || writtenBy != organizationId))), ct);
}

/// <summary>
/// Keeps the restrictions of <see cref="AccessRestrictionChanged"/> in <typeparamref name="TDb"/>: once per message
/// (inbox), and in order of what happened: an event older than the row's state (a late redelivery after a lift) changes
/// nothing.
/// </summary>
public sealed class AccessRestrictionsConsumer<TDb>(TDb db, ILogger<AccessRestrictionsConsumer<TDb>> logger)
    : IdempotentConsumer<AccessRestrictionChanged, TDb>(db)
    where TDb : DbContext
{
    // Stable and short: the generic type's full name would carry assembly versions.
    protected override string ConsumerName => "access-restrictions";

    protected override async Task HandleAsync(ConsumeContext<AccessRestrictionChanged> context, CancellationToken ct)
    {
        var message = context.Message;
        var restrictions = Db.Set<PatientAccessRestriction>();
        var row = await restrictions.SingleOrDefaultAsync(r => r.RestrictionId == message.RestrictionId, ct);
        if (row is null)
        {
            restrictions.Add(new PatientAccessRestriction
            {
                RestrictionId = message.RestrictionId,
                PatientId = message.PatientId,
                Kind = message.Kind,
                OrganizationId = message.OrganizationId,
                Section = message.Section,
                Active = message.Active,
                ChangedAt = message.OccurredAt,
            });
        }
        else if (message.OccurredAt >= row.ChangedAt)
        {
            row.Active = message.Active;
            row.ChangedAt = message.OccurredAt;
        }
        else
        {
            logger.LogInformation("Restriction {RestrictionId}: an older change arrived after a newer one and is ignored", message.RestrictionId);
            return;
        }
        logger.LogInformation("Restriction {RestrictionId} of patient {PatientId} is now {State}",
            message.RestrictionId, message.PatientId, message.Active ? "in force" : "lifted");
    }
}
