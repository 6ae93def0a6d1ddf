using Gosuslugi.Health.DevMailbox;

// The development mailbox: what identity and Notifications would have sent (SMS and push as JSON lines,
// e-mail as the SMTP server's Maildir), newest first. The AppHost lists it on the Aspire dashboard.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();

var directory = app.Configuration["Mailbox:Directory"]
    ?? throw new InvalidOperationException("Mailbox:Directory (environment Mailbox__Directory) is not set.");
const int Shown = 100;

app.MapGet("/api/messages", () => TypedResults.Ok(OutgoingMessages.Newest(directory, Shown)));
app.MapGet("/", () => TypedResults.Content(MailboxPage.Render(directory, OutgoingMessages.Newest(directory, Shown)), "text/html; charset=utf-8"));
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.Run();
