using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Events;
using Gosuslugi.Health.Notifications.Live;
using Gosuslugi.Health.Notifications.Reminders;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Notifications;

public static class NotificationsExtensions
{
    public const string DatabaseName = "notificationsdb";

    public static TBuilder AddNotifications<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<NotificationsDb>(DatabaseName);
        builder.AddServiceMessaging<NotificationsDb>(bus =>
        {
            bus.AddConsumer<ImmunizationRecordedConsumer>();
            bus.AddConsumer<VaccinationDueConsumer>();
            bus.AddConsumer<PrescriptionIssuedConsumer>();
            bus.AddConsumer<PrescriptionStatusChangedConsumer>();
            bus.AddConsumer<PrescriptionExpiringConsumer>();
            bus.AddConsumer<PreventiveExamDueConsumer>();
            bus.AddConsumer<MedicalRecordItemPublishedConsumer>();
            bus.AddConsumer<LabThresholdCrossedConsumer>();
            bus.AddConsumer<RecordOpenedByNewOrganizationConsumer>();
            bus.AddConsumer<DataRequestSubmittedConsumer>();
            bus.AddConsumer<DataRequestStatusChangedConsumer>();
            bus.AddSickLeaveConsumers();
            bus.AddAppointmentConsumers();
            bus.AddIdentityConsumers();
            bus.AddReminderConsumers();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddNotificationChannels();
        builder.AddReminders();
        builder.AddLiveFeed();
        return builder;
    }
}
