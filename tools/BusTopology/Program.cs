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

// The AppHost starts it once RabbitMQ is healthy; a broker that stays unreachable fails the run instead of hanging it.
var timeout = configuration.GetValue("BusTopology:Timeout", TimeSpan.FromMinutes(2));
using var cancellation = new CancellationTokenSource(timeout);
// The services wait for this process to complete: should a step ignore the cancellation, exit anyway rather than
// hold the whole system in "Waiting".
_ = Task.Delay(timeout + TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ =>
{
    logger.LogError("Bus topology deployment did not finish within {Timeout}; exiting", timeout);
    Environment.Exit(3);
}, TaskScheduler.Default);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
// RabbitMQ may refuse connections for a moment after it first reports healthy: try again until the timeout.
while (true)
{
    try
    {
        var queues = await BusTopologyDeployer.DeployAsync(rabbitMq, logger, cancellation.Token);
        logger.LogInformation("Bus topology deployed: {Queues} queues of {Services} services", queues.Values.Sum(q => q.Count), queues.Count);
        return 0;
    }
    catch (Exception e) when (!cancellation.IsCancellationRequested)
    {
        logger.LogWarning("Bus topology deployment failed, trying again in 2 s: {Error}", e.Message);
        await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
    }
    catch (Exception e)
    {
        logger.LogError(e, "Bus topology deployment failed");
        return 1;
    }
}
