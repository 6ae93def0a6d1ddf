using System.Diagnostics;
using System.Reflection;
using Gosuslugi.Health.ServiceDefaults;
using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.RabbitMqTransport.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Gosuslugi.Health.BusTopology;

/// <summary>
/// Declares the RabbitMQ topology of every service before anything is published: the exchange of each message type a
/// service consumes, the service's durable queues ("{service}-{consumer}") bound to them, and each queue's "_error"
/// and "_skipped" queue. RabbitMQ drops a message that no queue is bound for, so without this an event published
/// before its consumer's first start (identity's demo patients, or any event before a new service is deployed) would be
/// lost. Nothing here lists queues: each service's own Program registers its consumers, and MassTransit derives the
/// topology from them (<see cref="MessagingExtensions.DeployTopologyOnlyKey"/>).
/// </summary>
public static class BusTopologyDeployer
{
    /// <summary>Every service of the system that has a bus (a test checks that none is missing).</summary>
    public static IReadOnlyList<Assembly> Services { get; } =
    [
        typeof(Identity.Data.IdentityDb).Assembly,
        typeof(Appointments.Data.AppointmentsDb).Assembly,
        typeof(Records.Data.RecordsDb).Assembly,
        typeof(Immunizations.Data.ImmunizationsDb).Assembly,
        typeof(Prescriptions.Data.PrescriptionsDb).Assembly,
        typeof(SickLeave.Data.SickLeaveDb).Assembly,
        typeof(Notifications.Data.NotificationsDb).Assembly,
        typeof(Disputes.Data.DisputesDb).Assembly,
        typeof(Audit.Data.AuditDb).Assembly,
    ];

    /// <summary>
    /// Deploys the topology of every service in <see cref="Services"/> to the virtual host of
    /// <paramref name="rabbitMqConnectionString"/> (amqp://user:password@host:port/vhost). Safe to repeat: what exists
    /// stays as it is, messages waiting in queues included.
    /// </summary>
    /// <returns>The queues (without their _error/_skipped companions) of each service, by service name.</returns>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DeployAsync(string rabbitMqConnectionString,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var queues = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var service in Services)
        {
            queues[ServiceName(service)] = await DeployAsync(service, rabbitMqConnectionString, logger, cancellationToken);
        }
        return queues;
    }

    /// <summary>How long one attempt to deploy one service may take (a few seconds normally) before it is abandoned.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(45);

    private const int MaxAttempts = 3;

    /// <summary>
    /// Deploys the topology of one service; returns its queues. A deploy once hung in CI without a word for ten minutes
    /// inside MassTransit's start or stop (MassTransit issue 2260 and pull request 6099 describe such hangs), so each
    /// attempt is bounded by <see cref="AttemptTimeout"/> and made again, up to <see cref="MaxAttempts"/> times, on a freshly
    /// built host; declaring is idempotent, so a repeat is harmless.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DeployAsync(Assembly service, string rabbitMqConnectionString, ILogger logger,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DeployOnceAsync(service, rabbitMqConnectionString, logger, cancellationToken)
                    .WaitAsync(AttemptTimeout, cancellationToken);
            }
            catch (TimeoutException) when (attempt < MaxAttempts)
            {
                logger.LogWarning("{Service}: deploy attempt {Attempt} did not finish within {Timeout}; trying again on a new host",
                    ServiceName(service), attempt, AttemptTimeout);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> DeployOnceAsync(Assembly service, string rabbitMqConnectionString, ILogger logger,
        CancellationToken cancellationToken)
    {
        var name = ServiceName(service);
        var started = Stopwatch.GetTimestamp();
        var endpoints = new ReceiveEndpointCollector();
        var host = await ServiceHostCapture.BuildAsync(service,
        [
            $"--applicationName={service.GetName().Name}",
            // The deployer's own OTEL_SERVICE_NAME must not rename the service's queues.
            $"--OTEL_SERVICE_NAME={name}",
            $"--ConnectionStrings:rabbitmq={rabbitMqConnectionString}",
            $"--{MessagingExtensions.DeployTopologyOnlyKey}=true",
            // The deployer reports each service's queues itself.
            "--Logging:LogLevel:Default=Warning",
        ], services => services.AddSingleton<IConfigureReceiveEndpoint>(endpoints));
        try
        {
            if (host.Services.GetService<IBusControl>() is not { } bus)
            {
                logger.LogInformation("{Service} has no bus", name);
                return [];
            }
            // DeployTopologyOnly: starting declares the exchanges, queues and bindings of every receive endpoint and
            // consumes nothing; stopping closes the connection.
            await bus.DeployAsync(cancellationToken);
            await DeclareErrorAndSkippedQueuesAsync(rabbitMqConnectionString, endpoints.Endpoints, cancellationToken);
            var queues = endpoints.Endpoints.Select(e => e.Settings.QueueName).Order(StringComparer.Ordinal).ToList();
            logger.LogInformation("{Service}: {Count} queues declared in {Elapsed:0.0} s: {Queues}", name, queues.Count,
                Stopwatch.GetElapsedTime(started).TotalSeconds, string.Join(", ", queues));
            return queues;
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else host.Dispose();
        }
    }

    /// <summary>The service's name as the AppHost names its resource: "Gosuslugi.Health.SickLeave" → "sickleave".</summary>
    public static string ServiceName(Assembly service)
    {
        var assemblyName = service.GetName().Name!;
        return assemblyName[(assemblyName.LastIndexOf('.') + 1)..].ToLowerInvariant();
    }

    /// <summary>
    /// MassTransit declares "{queue}_error" and "{queue}_skipped" only when it first moves a message there. They are
    /// declared here too, from MassTransit's own settings for the queue (so a later declaration by the service matches
    /// them exactly), so that operations can watch them from the start.
    /// </summary>
    private static async Task DeclareErrorAndSkippedQueuesAsync(string rabbitMqConnectionString,
        IReadOnlyList<IRabbitMqReceiveEndpointConfiguration> endpoints, CancellationToken cancellationToken)
    {
        if (endpoints.Count == 0) return;
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMqConnectionString), ClientProvidedName = "bus-topology" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var endpoint in endpoints)
        {
            var send = endpoint.Topology.Send;
            foreach (var topology in new[]
                     {
                         send.GetErrorSettings(endpoint.Settings).GetBrokerTopology(),
                         send.GetDeadLetterSettings(endpoint.Settings).GetBrokerTopology(),
                     })
            {
                await DeclareAsync(channel, topology, cancellationToken);
            }
        }
    }

    private static async Task DeclareAsync(IChannel channel, BrokerTopology topology, CancellationToken cancellationToken)
    {
        foreach (var exchange in topology.Exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange.ExchangeName, exchange.ExchangeType, exchange.Durable, exchange.AutoDelete,
                Arguments(exchange.ExchangeArguments), cancellationToken: cancellationToken);
        }
        foreach (var queue in topology.Queues)
        {
            await channel.QueueDeclareAsync(queue.QueueName, queue.Durable, queue.Exclusive, queue.AutoDelete,
                Arguments(queue.QueueArguments), cancellationToken: cancellationToken);
        }
        foreach (var binding in topology.ExchangeBindings)
        {
            await channel.ExchangeBindAsync(binding.Destination.ExchangeName, binding.Source.ExchangeName, binding.RoutingKey ?? "",
                Arguments(binding.Arguments), cancellationToken: cancellationToken);
        }
        foreach (var binding in topology.QueueBindings)
        {
            await channel.QueueBindAsync(binding.Destination.QueueName, binding.Source.ExchangeName, binding.RoutingKey ?? "",
                Arguments(binding.Arguments), cancellationToken: cancellationToken);
        }
    }

    private static Dictionary<string, object?>? Arguments(IDictionary<string, object>? arguments) =>
        arguments is null || arguments.Count == 0 ? null : arguments.ToDictionary(a => a.Key, a => (object?)a.Value);

    /// <summary>Sees every receive endpoint MassTransit configures for the service's consumers.</summary>
    private sealed class ReceiveEndpointCollector : IConfigureReceiveEndpoint
    {
        private readonly List<IRabbitMqReceiveEndpointConfiguration> _endpoints = [];

        public IReadOnlyList<IRabbitMqReceiveEndpointConfiguration> Endpoints
        {
            get
            {
                lock (_endpoints) return [.. _endpoints];
            }
        }

        public void Configure(string name, IReceiveEndpointConfigurator configurator)
        {
            if (configurator is IRabbitMqReceiveEndpointConfiguration endpoint)
            {
                lock (_endpoints) _endpoints.Add(endpoint);
            }
        }
    }
}
