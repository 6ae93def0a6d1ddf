using MassTransit;

namespace Gosuslugi.Health.Notifications.Reminders;

public static class Reminders
{
    /// <summary>AppointmentBooked / AppointmentCancelled schedule, move and withdraw reminders.</summary>
    public static IBusRegistrationConfigurator AddReminderConsumers(this IBusRegistrationConfigurator bus) => bus;

    /// <summary>The sweeper that sends due reminders.</summary>
    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder) => builder;
}
