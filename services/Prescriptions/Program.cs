using Gosuslugi.Health.Prescriptions.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<PrescriptionsDb>("prescriptionsdb");
builder.AddServiceMessaging<PrescriptionsDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
