using Gosuslugi.Health.Records;
using Gosuslugi.Health.Records.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRecords();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFhirIngestionApi();
app.MapHistoryApi();
app.MapResultsApi();
app.MapExportsApi();
app.MapDoctorAccessApi();

app.Run();
