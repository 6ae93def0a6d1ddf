using Gosuslugi.Health.Prescriptions;
using Gosuslugi.Health.Prescriptions.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPrescriptions();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFhirPublishingApi();
app.MapPatientPrescriptionsApi();
app.MapPharmacyApi();

app.Run();
