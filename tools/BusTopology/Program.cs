using Gosuslugi.Health.BusTopology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

// Declares every service's RabbitMQ topology (ConnectionStrings:rabbitmq) and exits 0; the AppHost starts the services
// after it completes, so no event is published before the queues of its consumers exist.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("MassTransit", LogLevel.Warning));
var logger = loggerFactory.CreateLogger("BusTopology");

var rabbitMq = configuration.GetConnectionString("rabbitmq");
if (string.IsNullOrWhiteSpace(rabbitMq))
{
    logger.LogError("ConnectionStrings:rabbitmq is not configured");
    return 2;
}

using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(5));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
try
{
    var queues = await BusTopologyDeployer.DeployAsync(rabbitMq, logger, cancellation.Token);
    logger.LogInformation("Bus topology deployed: {Queues} queues of {Services} services", queues.Values.Sum(q => q.Count), queues.Count);
    return 0;
}
catch (Exception e)
{
    logger.LogError(e, "Bus topology deployment failed");
    return 1;
}
