using Gosuslugi.Health.Identity.Api;
using Gosuslugi.Health.Identity.Extensions;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDiscoveryApi();
app.MapAuthorizeApi();
app.MapTokenApi();
app.MapUserInfoApi();
app.Run();
