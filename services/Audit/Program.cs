using Gosuslugi.Health.Audit.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<AuditDb>("auditdb");
builder.AddServiceMessaging<AuditDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
