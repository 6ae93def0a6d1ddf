using Gosuslugi.Health.Audit;
using Gosuslugi.Health.Audit.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAudit();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSecurityEventsApi();
app.MapAccessLogApi();

app.Run();
