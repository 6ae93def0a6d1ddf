using Gosuslugi.Health.Records.Data;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<RecordsDb>("recordsdb");
builder.AddServiceMessaging<RecordsDb>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
