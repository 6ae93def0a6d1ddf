using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Events;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Immunizations;

public static class ImmunizationsExtensions
{
    public const string DatabaseName = "immunizationsdb";

    public static TBuilder AddImmunizations<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<ImmunizationsDb>(DatabaseName);
        builder.AddServiceMessaging<ImmunizationsDb>(bus =>
        {
            bus.AddConsumer<PatientRegisteredConsumer>();
            bus.AddAccessRestrictionsConsumer<ImmunizationsDb>(builder);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
