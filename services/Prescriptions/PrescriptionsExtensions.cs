using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Prescriptions.Api;
using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.Prescriptions.Events;
using Gosuslugi.Health.Prescriptions.Expiry;
using Gosuslugi.Health.Prescriptions.Pharmacies;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Prescriptions;

public static class PrescriptionsExtensions
{
    public const string DatabaseName = "prescriptionsdb";

    public static TBuilder AddPrescriptions<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<PrescriptionsDb>(DatabaseName);
        // Medical content sealed with per-patient keys wrapped by a key in the service's HSM token; the QR references'
        // MAC key lives there too.
        builder.AddPatientDataEncryption<PrescriptionsDb>();
        builder.Services.AddSingleton<PrescriptionReferences>();
        builder.AddServiceMessaging<PrescriptionsDb>(bus =>
        {
            bus.AddAccessRestrictionsConsumer<PrescriptionsDb>(builder);
            bus.AddConsumer<PatientRegisteredConsumer>();
        });
        builder.AddFhir(FhirPublishingApi.MedicationRequestRoute, FhirPublishingApi.FhirBase + "/MedicationDispense");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PrescriptionExpiryOptions>().BindConfiguration(PrescriptionExpiryOptions.Section)
            .Validate(o => o.LeadDays >= 0 && o.BatchSize > 0 && o.Interval > TimeSpan.Zero,
                "Prescriptions:Expiry needs LeadDays >= 0, BatchSize > 0 and a positive Interval.")
            .ValidateOnStart();
        builder.Services.AddHostedService<PrescriptionExpirySweeper>();
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section);
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<DevelopmentPharmacies>();
        }
        return builder;
    }
}
