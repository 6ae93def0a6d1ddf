using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Gosuslugi.Health.AppHost;

// The whole system on .NET Aspire: servers as executables from the machine's packages (no containers), identity,
// the services, the gateway and the development mailbox. Options: see AppHostOptions (--fresh, --port-base, ...).
var options = AppHostOptions.Parse(args);
options.PrepareDataDirectory();
var secrets = options.LoadOrCreateSecrets();
var data = options.DataDirectory;

var dashboardPort = options.Port(1, 18888, options.DashboardPort);
var dashboardToken = RandomNumberGenerator.GetHexString(32, lowercase: true);
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = [.. options.AspireArgs,
        $"--ASPNETCORE_URLS=http://127.0.0.1:{dashboardPort}",
        $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{options.Port(9, 18889)}",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        // Ctrl+C returns only when DCP has stopped every process.
        "--DcpPublisher:WaitForResourceCleanup=true",
        $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={dashboardToken}",
        $"--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS={(options.DashboardAnonymous ? "true" : "false")}"],
    AllowUnsecuredTransport = true,
});

var postgres = builder.AddLocalPostgres("postgres", Path.Combine(data, "postgres"), options.Port(2, 55432), secrets.PostgresPassword);
var rabbitmq = builder.AddLocalRabbitMQ("rabbitmq", Path.Combine(data, "rabbitmq"), options.Port(3, 55672), options.Port(4, 55673),
    epmdPort: options.Port(7, 55674), distributionPort: options.Port(8, 55675), secrets.RabbitMqUser, secrets.RabbitMqPassword);
var redis = builder.AddLocalRedis("redis", Path.Combine(data, "redis"), options.Port(5, 56379), secrets.RedisPassword);
// A real SMTP server that keeps e-mail in .data/mailbox/email instead of relaying it (shown by the mailbox below).
var smtp = builder.AddDevelopmentSmtp("smtp", Path.Combine(options.MailboxDirectory, "email"), options.Port(6, 52525));

// One-shot: declares every service's exchanges, durable queues and bindings (from the consumers in code) before
// anything publishes, so no event is lost for want of a queue; then exits 0.
var busTopology = builder.AddProject<Projects.Gosuslugi_Health_BusTopology>("bus-topology-init", launchProfileName: null)
    .WithReference(rabbitmq).WaitFor(rabbitmq);

var gatewayUrl = $"http://127.0.0.1:{options.Port(0, 8080, options.GatewayPort)}";
var projectIndex = 0;
IResourceBuilder<ProjectResource> AddProject<TProject>(string name, int? port = null) where TProject : IProjectMetadata, new()
{
    port ??= options.Port(10 + projectIndex, 5101 + projectIndex++);
    return builder.AddProject<TProject>(name, launchProfileName: null)
        .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
        .WithEndpoint("http", e => e.TargetHost = "127.0.0.1")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
        .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
        // Tokens name the public entry (the gateway) as issuer.
        .WithEnvironment("Identity__Issuer", gatewayUrl)
        .WithHttpHealthCheck("/health/ready")
        .WithProductionTelemetry(options.TraceRatio);
}

// Keys live in SoftHSM2 tokens under .data/hsm (a PKCS#11 HSM in production), a token per service that has keys.
var hsmConfig = LocalServerExtensions.PrepareSoftHsm(Path.Combine(data, "hsm"));
IResourceBuilder<ProjectResource> WithHsmToken(IResourceBuilder<ProjectResource> project, string tokenLabel) => project
    .WithEnvironment("Hsm__SoftHsmConfig", hsmConfig)
    .WithEnvironment("Hsm__TokenLabel", tokenLabel)
    .WithEnvironment("Hsm__UserPin", secrets.HsmUserPin)
    .WithEnvironment("Hsm__InitializeWithSoPin", secrets.HsmSoPin);

var identity = AddProject<Projects.Gosuslugi_Health_Identity>("identity");
var identityDb = postgres.AddDatabase("identitydb");
// Token-signing keys and the key ring's key.
WithHsmToken(identity, "gosuslugi-health")
    .WithReference(identityDb).WaitFor(identityDb)
    .WithReference(rabbitmq).WaitFor(rabbitmq).WaitForCompletion(busTopology)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Identity__Url", identity.GetEndpoint("http"))
    .WithEnvironment("Identity__SeedDemoData", "true")
    .WithEnvironment("Identity__DemoFile", Path.Combine(data, "demo.json"))
    .WithEnvironment("Identity__Mailbox__Directory", options.MailboxDirectory);

// Every service owns its database, talks over the bus and caches in Redis. It fetches identity's token keys on
// its first authenticated request, so it need not wait for identity.
IResourceBuilder<ProjectResource> AddService<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var database = postgres.AddDatabase($"{name}db");
    return AddProject<TProject>(name)
        .WithReference(database).WaitFor(database)
        .WithReference(rabbitmq).WaitFor(rabbitmq).WaitForCompletion(busTopology)
        .WithReference(redis).WaitFor(redis)
        .WithReference(identity)
        .WithEnvironment("Identity__Url", identity.GetEndpoint("http"));
}

var appointments = AddService<Projects.Gosuslugi_Health_Appointments>("appointments");
// Its key-encryption key wraps the patients' data keys (medical content sealed at rest).
var records = WithHsmToken(AddService<Projects.Gosuslugi_Health_Records>("records"), "records");
var immunizations = AddService<Projects.Gosuslugi_Health_Immunizations>("immunizations");
// Its HSM token wraps the patients' data keys and holds the MAC key of the prescriptions' QR references.
var prescriptions = WithHsmToken(AddService<Projects.Gosuslugi_Health_Prescriptions>("prescriptions"), "prescriptions")
    // The demo patient (the first registered) gets two prescriptions.
    .WithEnvironment("Prescriptions__DemoData__Enabled", "true");
// Medical content sealed at rest like Records'; in development it gives the demo patient a certificate (demo.json).
var sickleave = WithHsmToken(AddService<Projects.Gosuslugi_Health_SickLeave>("sickleave"), "sickleave")
    .WithEnvironment("SickLeave__DemoFile", Path.Combine(data, "demo.json"));
// SMS and push go to development providers that record what they would send in the mailbox folder.
var notifications = AddService<Projects.Gosuslugi_Health_Notifications>("notifications")
    .WithReference(smtp).WaitFor(smtp)
    .WithEnvironment("Notifications__Outbox__Directory", options.MailboxDirectory);
var disputes = AddService<Projects.Gosuslugi_Health_Disputes>("disputes");
var audit = AddService<Projects.Gosuslugi_Health_Audit>("audit");
IResourceBuilder<ProjectResource>[] services = [appointments, records, immunizations, prescriptions, sickleave, notifications, disputes, audit];

// HTTPS with TLS 1.3 only next to loopback HTTP, with a certificate from a local TLS authority under .data/tls.
var tls = LocalTls.Prepare(Path.Combine(data, "tls"), DateTimeOffset.UtcNow);
var gatewayHttpsUrl = $"https://127.0.0.1:{options.Port(20, 8443)}";
var gateway = AddProject<Projects.Gosuslugi_Health_Gateway>("gateway", options.Port(0, 8080, options.GatewayPort))
    .WithEnvironment("Gateway__Https__Port", new Uri(gatewayHttpsUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithEnvironment("Gateway__Https__CertificatePath", tls.CertificatePath)
    .WithEnvironment("Gateway__Https__KeyPath", tls.KeyPath)
    .WithUrl(gatewayHttpsUrl, "HTTPS (TLS 1.3)")
    .WithReference(redis).WaitFor(redis)
    .WithReference(identity).WaitFor(identity)
    .WithEnvironment("Identity__Url", identity.GetEndpoint("http"));
foreach (var service in services) gateway.WithReference(service);

// What identity and Notifications would have sent (SMS, push, e-mail), as a page of its own on the dashboard.
AddProject<Projects.Gosuslugi_Health_DevMailbox>("mailbox", options.Port(19, 18890))
    .WithEnvironment("Mailbox__Directory", options.MailboxDirectory)
    .WaitFor(smtp);

builder.Services.AddSingleton(options);
builder.Services.AddHostedService<LeftoverProcesses>();
builder.Services.AddHostedService(sp => new ReadySummary(sp, options, gatewayUrl, (gatewayHttpsUrl, tls.AuthorityPath),
    dashboardUrl: $"http://127.0.0.1:{dashboardPort}", dashboardLogin: options.DashboardAnonymous ? null : $"http://127.0.0.1:{dashboardPort}/login?t={dashboardToken}"));

builder.Build().Run();
