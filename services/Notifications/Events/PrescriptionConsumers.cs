using System.Globalization;
using Gosuslugi.Health.Contracts.Prescriptions;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>A prescription issued, changed or cancelled by its organization: once per version.</summary>
public sealed class PrescriptionIssuedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PrescriptionIssued, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PrescriptionIssued> context, CancellationToken ct)
    {
        var m = context.Message;
        await Db.AddOnceAsync(m.PatientId, NotificationCategories.Prescription, NotificationTexts.PrescriptionIssued(m),
            $"/api/v1/prescriptions/{m.PrescriptionId}",
            NotificationTexts.SourceIdOf("prescription-issued", m.PrescriptionId.ToString(), m.Version.ToString(CultureInfo.InvariantCulture)),
            time.GetUtcNow(), ct);
    }
}

/// <summary>Sent to a pharmacy, reserved, dispensed (in part), expired: each fact once.</summary>
public sealed class PrescriptionStatusChangedConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PrescriptionStatusChanged, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PrescriptionStatusChanged> context, CancellationToken ct)
    {
        var m = context.Message;
        await Db.AddOnceAsync(m.PatientId, NotificationCategories.Prescription, NotificationTexts.PrescriptionStatusChanged(m),
            $"/api/v1/prescriptions/{m.PrescriptionId}",
            NotificationTexts.SourceIdOf("prescription-status", m.PrescriptionId.ToString(), m.Change,
                m.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            time.GetUtcNow(), ct);
    }
}

/// <summary>An unused prescription expires in a few days.</summary>
public sealed class PrescriptionExpiringConsumer(NotificationsDb db, TimeProvider time)
    : IdempotentConsumer<PrescriptionExpiring, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<PrescriptionExpiring> context, CancellationToken ct)
    {
        var m = context.Message;
        await Db.AddOnceAsync(m.PatientId, NotificationCategories.Prescription, NotificationTexts.PrescriptionExpiring(m),
            $"/api/v1/prescriptions/{m.PrescriptionId}", NotificationTexts.SourceIdOf("prescription-expiring", m.PrescriptionId.ToString()),
            time.GetUtcNow(), ct);
    }
}
