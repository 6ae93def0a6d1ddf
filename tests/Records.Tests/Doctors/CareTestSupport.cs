using System.Text.Json;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Tests.Doctors;

/// <summary>
/// Appointments' and identity's events published on the service's real bus, and waits until the consumers applied
/// them; plus the access events Records wrote to its outbox.
/// </summary>
public static class CareTestSupport
{
    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public static DateOnly MoscowToday => DateOnly.FromDateTime((DateTimeOffset.UtcNow + Moscow).DateTime);

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Polls <paramref name="probe"/> until it returns true (30 s at most).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out waiting for {what}.");
    }

    /// <summary>Publishes a message under its own id and waits until the named consumer has processed it (its inbox row).</summary>
    public static async Task PublishAndWaitAsync<T>(this RecordsApp app, T message, string consumer) where T : class
    {
        var messageId = Guid.CreateVersion7();
        await app.Bus.Publish(message, c => c.MessageId = messageId);
        await EventuallyAsync(() => app.WithDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer)),
            $"{typeof(T).Name} {messageId} processed by {consumer}");
    }

    public static async Task<Guid> AttachAsync(this RecordsApp app, Guid patientId, Guid organizationId, DateOnly? on = null,
        DateTimeOffset? occurredAt = null)
    {
        var attachmentId = Guid.CreateVersion7();
        await app.PublishAndWaitAsync(new PatientAttached(attachmentId, patientId, organizationId, "ГБУЗ «Городская поликлиника № 1»",
            on ?? MoscowToday, occurredAt ?? DateTimeOffset.UtcNow), "care-patient-attached");
        return attachmentId;
    }

    public static Task DetachAsync(this RecordsApp app, Guid attachmentId, Guid patientId, Guid organizationId, DateOnly? on = null,
        DateTimeOffset? occurredAt = null) =>
        app.PublishAndWaitAsync(new PatientDetached(attachmentId, patientId, organizationId, on ?? MoscowToday,
            occurredAt ?? DateTimeOffset.UtcNow), "care-patient-detached");

    public static Task BookAsync(this RecordsApp app, Guid appointmentId, Guid patientId, Guid organizationId,
        DateTimeOffset startsAt, DateTimeOffset? occurredAt = null, Guid? doctorId = null) =>
        app.PublishAndWaitAsync(new AppointmentBooked(appointmentId, patientId, organizationId, "ГБУЗ «Городская больница № 2»",
            doctorId ?? Guid.CreateVersion7(), "Петров Иван Сергеевич", "Терапевт", startsAt, false, occurredAt ?? DateTimeOffset.UtcNow),
            "care-appointment-booked");

    public static Task CancelAsync(this RecordsApp app, Guid appointmentId, Guid patientId, Guid organizationId,
        DateTimeOffset? occurredAt = null) =>
        app.PublishAndWaitAsync(new AppointmentCancelled(appointmentId, patientId, organizationId, "Пациент отменил запись",
            occurredAt ?? DateTimeOffset.UtcNow), "care-appointment-cancelled");

    /// <summary>The patient closes a section to every organization but the one that wrote it, or refuses an organization (the whole record or one section).</summary>
    public static Task RestrictAsync(this RecordsApp app, Guid patientId, string kind, Guid? organizationId, string? section) =>
        app.PublishAndWaitAsync(new AccessRestrictionChanged(Guid.CreateVersion7(), patientId, kind, organizationId, section, true,
            DateTimeOffset.UtcNow), "access-restrictions");

    public static Task<CareRelationship?> CareAsync(this RecordsApp app, Guid sourceId) =>
        app.WithDbAsync(db => db.CareRelationships.AsNoTracking().SingleOrDefaultAsync(c => c.SourceId == sourceId));

    /// <summary>The patient's access events in Records' outbox, in the order they were written.</summary>
    public static async Task<List<PatientDataAccessed>> AccessEventsAsync(this RecordsApp app, Guid patientId)
    {
        var payloads = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == typeof(PatientDataAccessed).FullName)
            .OrderBy(m => m.Id)
            .Select(m => m.Payload)
            .ToListAsync());
        return payloads.Select(p => JsonSerializer.Deserialize<PatientDataAccessed>(p, Web)!)
            .Where(e => e.PatientId == patientId)
            .ToList();
    }

    public const string SectionKind = PatientAccessRestriction.SectionKind;
    public const string OrganizationKind = PatientAccessRestriction.OrganizationKind;
}
