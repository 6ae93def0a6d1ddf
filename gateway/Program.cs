using Gosuslugi.Health.Gateway;
using Gosuslugi.Health.Gateway.ApiReference;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();
builder.AddGatewayApiReference();

var app = builder.Build();
app.UseGateway();
app.MapDefaultEndpoints();
app.MapGatewayApiReference();
app.MapReverseProxy();
app.Run();
