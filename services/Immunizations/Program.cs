using Gosuslugi.Health.Immunizations;
using Gosuslugi.Health.Immunizations.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddImmunizations();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapImmunizationsApi();
app.MapVaccinationPlansApi();

app.Run();
