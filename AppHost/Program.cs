using Gosuslugi.Health.Hosting;

// The whole system, declared the way a .NET Aspire AppHost declares it (see AppHost/Hosting for
// the small orchestrator behind this API). Options: see AppHostOptions (--fresh, --data-dir, ...).
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var rabbitmq = builder.AddRabbitMQ("rabbitmq");
var redis = builder.AddRedis("redis");
// A real SMTP server that keeps e-mail in .data/mailbox/email instead of relaying it (shown on the dashboard).
var smtp = builder.AddSmtp("smtp");

var identity = builder.AddProject<Projects.Identity>("identity")
    .WithReference(postgres.AddDatabase("identitydb"))
    .WithReference(rabbitmq)
    .WithReference(redis)
    .WithEnvironment("Identity__SeedDemoData", "true")
    .WithEnvironment("Identity__DemoFile", Path.Combine(builder.DataDirectory, "demo.json"))
    .WithEnvironment("Identity__Mailbox__Directory", Path.Combine(builder.DataDirectory, "mailbox"));

// Every service owns its database, talks over the bus and caches in Redis. It fetches identity's token
// keys on its first authenticated request, so it need not wait for identity.
IResourceBuilder<ProjectResource> AddService<TProject>(string name) where TProject : IProjectMetadata =>
    builder.AddProject<TProject>(name)
        .WithReference(postgres.AddDatabase($"{name}db"))
        .WithReference(rabbitmq)
        .WithReference(redis)
        .WithReference(identity);

var appointments = AddService<Projects.Appointments>("appointments");
var records = AddService<Projects.Records>("records");
var immunizations = AddService<Projects.Immunizations>("immunizations");
var prescriptions = AddService<Projects.Prescriptions>("prescriptions");
var sickleave = AddService<Projects.SickLeave>("sickleave");
// SMS and push go to development providers that record what they would send in the mailbox folder (dashboard).
var notifications = AddService<Projects.Notifications>("notifications")
    .WithReference(smtp)
    .WithEnvironment("Notifications__Outbox__Directory", Path.Combine(builder.DataDirectory, "mailbox"));
var disputes = AddService<Projects.Disputes>("disputes");
var audit = AddService<Projects.Audit>("audit");

// Identity publishes the demo patients' events on its first start. RabbitMQ drops a message that no
// queue is bound for, so the services that consume those events declare their queues first.
foreach (var service in new[] { appointments, records, immunizations, prescriptions, sickleave, notifications, disputes, audit })
    identity.WaitFor(service);

var gateway = builder.AddProject<Projects.Gateway>("gateway", port: 8080)
    .WithReference(redis)
    .WithReference(identity)
    .WithReference(appointments)
    .WithReference(records)
    .WithReference(immunizations)
    .WithReference(prescriptions)
    .WithReference(sickleave)
    .WithReference(notifications)
    .WithReference(disputes)
    .WithReference(audit)
    .WaitFor(identity);

// Tokens name the public entry (the gateway) as issuer; keys come from identity directly.
builder.WithTokenIssuer(identity, publicEntry: gateway);

builder.Build().Run();
