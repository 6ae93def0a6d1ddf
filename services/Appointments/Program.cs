using Gosuslugi.Health.Appointments;
using Gosuslugi.Health.Appointments.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAppointments();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOrganizationReferenceApi();
app.MapReferenceCatalogApi();
app.MapSlotSearchApi();
app.MapDoctorDayApi();
app.MapBookingApi();
app.MapOrganizationAppointmentsApi();
app.MapAttachmentApi();
app.MapOrganizationAttachmentApi();
app.MapOrganizationAttachmentRequestsApi();
app.MapWaitlistApi();
app.MapSlotOffersApi();

app.Run();
