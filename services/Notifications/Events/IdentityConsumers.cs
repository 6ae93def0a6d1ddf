using MassTransit;

namespace Gosuslugi.Health.Notifications.Events;

public static class IdentityConsumers
{
    /// <summary>Contacts, delegations and security events from identity.</summary>
    public static IBusRegistrationConfigurator AddIdentityConsumers(this IBusRegistrationConfigurator bus) => bus;
}
