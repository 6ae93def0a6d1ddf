using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Patients;
using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Demo;
using Gosuslugi.Health.SickLeave.Requests;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.SickLeave;

public static class SickLeaveExtensions
{
    public const string DatabaseName = "sickleavedb";

    public static TBuilder AddSickLeave<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<SickLeaveDb>(DatabaseName);
        // Medical content sealed with per-patient keys wrapped by a key in the service's HSM token.
        builder.AddPatientDataEncryption<SickLeaveDb>();
        builder.AddServiceMessaging<SickLeaveDb>(bus =>
        {
            bus.AddPatientRegisteredConsumer<SickLeaveDb>(builder);
            bus.AddCareConsumers<SickLeaveDb>(builder);
            bus.AddAccessRestrictionsConsumer<SickLeaveDb>(builder);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<CertificatePublishing>();
        builder.Services.AddScoped<MissingCertificateRequests>();
        builder.Services.AddOptions<OverdueSweepOptions>().BindConfiguration(OverdueSweepOptions.Section)
            .Validate(o => o.BatchSize > 0 && o.Interval > TimeSpan.Zero, "SickLeave:OverdueSweep needs BatchSize > 0 and a positive Interval.")
            .ValidateOnStart();
        builder.Services.AddHostedService<OverdueRequestsSweeper>();
        if (builder.Environment.IsDevelopment()) builder.Services.AddHostedService<DemoCertificate>();
        return builder;
    }
}
