using Gosuslugi.Health.Records;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRecords();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
