using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Gosuslugi.Health.TestInfrastructure;
using MassTransit;
using RabbitMQ.Client;

namespace Gosuslugi.Health.BusTopology.Tests;

/// <summary>A fresh virtual host of the shared test RabbitMQ, seen through its management API and AMQP.</summary>
public sealed class Broker
{
    private Broker(string connectionString, string virtualHost, Func<HttpClient> management)
    {
        ConnectionString = connectionString;
        VirtualHost = virtualHost;
        _management = management;
    }

    private readonly Func<HttpClient> _management;

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public string ConnectionString { get; }

    public string VirtualHost { get; }

    public static async Task<Broker> CreateAsync()
    {
        var servers = await TestServers.GetAsync();
        var connectionString = await servers.RabbitMq.CreateVirtualHostAsync();
        var virtualHost = Uri.UnescapeDataString(new Uri(connectionString).AbsolutePath.TrimStart('/'));
        return new Broker(connectionString, virtualHost, servers.RabbitMq.CreateManagementClient);
    }

    public async Task<Topology> TopologyAsync()
    {
        using var http = _management();
        var vhost = Uri.EscapeDataString(VirtualHost);
        var queues = await http.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{vhost}?columns=name,durable,auto_delete,arguments");
        var exchanges = await http.GetFromJsonAsync<List<ExchangeInfo>>($"api/exchanges/{vhost}?columns=name,type,durable,auto_delete");
        var bindings = await http.GetFromJsonAsync<List<BindingInfo>>($"api/bindings/{vhost}");
        return new Topology(queues!, exchanges!, bindings!);
    }

    /// <summary>Messages ready in <paramref name="queue"/>, asked by a passive declare (exact, unlike the management statistics).</summary>
    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(ConnectionString) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Publishes <paramref name="message"/> as a service would, from a bus that consumes nothing.</summary>
    public async Task PublishAsync<T>(T message) where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(ConnectionString)));
        await bus.StartAsync(TimeSpan.FromSeconds(30));
        try
        {
            await bus.Publish(message);
        }
        finally
        {
            await bus.StopAsync(TimeSpan.FromSeconds(30));
        }
    }
}

public sealed record Topology(List<QueueInfo> Queues, List<ExchangeInfo> Exchanges, List<BindingInfo> Bindings)
{
    public QueueInfo? Queue(string name) => Queues.SingleOrDefault(q => q.Name == name);

    /// <summary>True when a message published to <paramref name="exchange"/> reaches <paramref name="queue"/>.</summary>
    public bool Routes(string exchange, string queue)
    {
        var seen = new HashSet<string>();
        var pending = new Queue<string>([exchange]);
        while (pending.TryDequeue(out var source))
        {
            if (!seen.Add(source)) continue;
            foreach (var binding in Bindings.Where(b => b.Source == source))
            {
                if (binding.DestinationType == "queue" && binding.Destination == queue) return true;
                if (binding.DestinationType == "exchange") pending.Enqueue(binding.Destination);
            }
        }
        return false;
    }
}

public sealed record QueueInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("durable")] bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete);

public sealed record ExchangeInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("durable")] bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete);

public sealed record BindingInfo(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("destination_type")] string DestinationType,
    [property: JsonPropertyName("routing_key")] string RoutingKey);
