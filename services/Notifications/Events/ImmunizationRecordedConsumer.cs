using System.Globalization;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Events;

/// <summary>Tells the patient that an organization added a vaccination to their record.</summary>
public sealed class ImmunizationRecordedConsumer(
    NotificationsDb db, TimeProvider time, ILogger<ImmunizationRecordedConsumer> logger)
    : IdempotentConsumer<ImmunizationRecorded, NotificationsDb>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ImmunizationRecorded> context, CancellationToken ct)
    {
        var message = context.Message;

        // The inbox drops a redelivered message; this also covers the same fact published again under a new id.
        var alreadyNotified = await Db.Notifications.AnyAsync(
            n => n.Category == NotificationCategories.Immunization && n.SourceId == message.ImmunizationId, ct);
        if (alreadyNotified)
        {
            logger.LogInformation("Immunization {ImmunizationId} was already notified", message.ImmunizationId);
            return;
        }

        Db.Notifications.Add(Create(message, time.GetUtcNow()));
    }

    public static Notification Create(ImmunizationRecorded message, DateTimeOffset now)
    {
        var date = message.AdministeredOn.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        return new Notification(
            message.PatientId,
            NotificationCategories.Immunization,
            "Новая запись о вакцинации",
            $"{message.OrganizationName} внесла запись о вакцинации: {message.VaccineName} ({message.Disease}), {date}.",
            $"/api/v1/immunizations/{message.ImmunizationId}",
            message.ImmunizationId,
            now);
    }
}
