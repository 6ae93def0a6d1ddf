using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.Records.Events;
using Gosuslugi.Health.Records.Preventive;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Patients;
using Gosuslugi.Health.ServiceDefaults.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Records;

public static class RecordsExtensions
{
    public const string DatabaseName = "recordsdb";

    public static TBuilder AddRecords<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<RecordsDb>(DatabaseName);
        // Medical content sealed with per-patient keys wrapped by a key in the service's HSM token.
        builder.AddPatientDataEncryption<RecordsDb>();
        // Databases from before encryption at rest are sealed in place between two migrations.
        builder.Services.AddScoped<IMigrationDataStep<RecordsDb>, SealMedicalContentStep>();
        builder.AddServiceMessaging<RecordsDb>(bus =>
        {
            bus.AddAccessRestrictionsConsumer<RecordsDb>(builder);
            bus.AddPatientRegisteredConsumer<RecordsDb>(builder);
            bus.AddCareConsumers<RecordsDb>(builder);
            bus.AddConsumer<ThresholdCrossingConsumer>().Endpoint(e => e.Name = ThresholdCrossingConsumer.EndpointName);
        });
        // FHIR ingestion (Api/FhirIngestionApi): the SDK warmed up before the first request, OperationOutcome on its routes.
        builder.AddFhir(FhirIngestionApi.FhirBase, "/api/v1/records/fhir");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PreventiveExamDueOptions>().BindConfiguration(PreventiveExamDueOptions.Section)
            .Validate(o => o.LeadDays >= 0 && o.BatchSize > 0 && o.Interval > TimeSpan.Zero,
                "Records:PreventiveExamDue needs LeadDays >= 0, BatchSize > 0 and a positive Interval.")
            .ValidateOnStart();
        builder.Services.AddHostedService<PreventiveExamDueSweeper>();
        return builder;
    }
}
