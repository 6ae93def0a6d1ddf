using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Events;
using Gosuslugi.Health.Immunizations.Plans;
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
        builder.Services.AddOptions<VaccinationDueOptions>().BindConfiguration(VaccinationDueOptions.Section)
            .Validate(o => o.LeadDays >= 0 && o.BatchSize > 0 && o.Interval > TimeSpan.Zero,
                "Immunizations:VaccinationDue needs LeadDays >= 0, BatchSize > 0 and a positive Interval.")
            .ValidateOnStart();
        builder.Services.AddHostedService<VaccinationDueSweeper>();
        return builder;
    }
}
