using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<DisputesDb>("disputesdb");
builder.AddServiceMessaging<DisputesDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
