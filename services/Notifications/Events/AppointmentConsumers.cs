using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

public static class AppointmentConsumers
{
    /// <summary>Booking confirmed, moved, cancelled; waitlist offers; attachment changes.</summary>
    public static IBusRegistrationConfigurator AddAppointmentConsumers(this IBusRegistrationConfigurator bus) => bus;
}
