using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Appointments.Booking;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Events;
using Gosuslugi.Health.Appointments.ReferenceData;
using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.Appointments.Waitlist;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gosuslugi.Health.Appointments;

public static class AppointmentsExtensions
{
    public const string DatabaseName = "appointmentsdb";

    public static TBuilder AddAppointments<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddServiceDatabase<AppointmentsDb>(DatabaseName);
        builder.AddServiceMessaging<AppointmentsDb>(bus => bus.AddIdentityConsumers());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PatientAccessLog>();
        builder.Services.AddScoped<AppointmentBooking>();
        builder.Services.AddScoped<PatientAppointments>();
        builder.Services.AddScoped<OrganizationAppointments>();
        builder.Services.AddScoped<SlotSearch>();
        builder.Services.AddScoped<DoctorSchedules>();
        builder.Services.AddScoped<OrganizationReferenceData>();
        builder.Services.AddScoped<ReferenceCatalog>();
        builder.Services.AddScoped<PatientAttachmentRequests>();
        builder.Services.AddScoped<OrganizationAttachments>();
        builder.Services.AddScoped<AttachmentRequestAnswers>();
        builder.Services.AddScoped<PatientWaitlist>();
        builder.Services.AddScoped<PatientSlotOffers>();
        builder.AddIdempotencyKeyRetention();
        builder.AddWaitlist();
        return builder;
    }
}
