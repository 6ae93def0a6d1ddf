using Gosuslugi.Health.Disputes;
using Gosuslugi.Health.Disputes.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDisputes();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDataRequestsApi();
app.MapOrganizationDataRequestsApi();

app.Run();
