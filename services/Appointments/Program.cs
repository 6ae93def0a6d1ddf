using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<AppointmentsDb>("appointmentsdb");
builder.AddServiceMessaging<AppointmentsDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
