using Gosuslugi.Health.Notifications;
using Gosuslugi.Health.Notifications.Api;
using Gosuslugi.Health.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotifications();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotificationsApi();
app.MapPreferencesApi();
app.MapLiveFeedApi();

app.Run();
