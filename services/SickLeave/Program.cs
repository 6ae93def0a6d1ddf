using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.SickLeave;
using Gosuslugi.Health.SickLeave.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSickLeave();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCertificatesApi();
app.MapOrganizationCertificatesApi();
app.MapDoctorCertificatesApi();
app.MapMissingCertificateRequestsApi();
app.MapOrganizationRequestsApi();

app.Run();
