using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<SickLeaveDb>("sickleavedb");
builder.AddServiceMessaging<SickLeaveDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
