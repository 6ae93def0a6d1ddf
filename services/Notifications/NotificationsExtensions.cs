using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Events;
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
            bus.AddConsumer<MedicalRecordItemPublishedConsumer>();
            bus.AddConsumer<LabThresholdCrossedConsumer>();
            bus.AddConsumer<RecordOpenedByNewOrganizationConsumer>();
            bus.AddConsumer<DataRequestSubmittedConsumer>();
            bus.AddConsumer<DataRequestStatusChangedConsumer>();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
