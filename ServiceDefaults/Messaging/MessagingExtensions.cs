using Gosuslugi.Health.ServiceDefaults.Messaging;
using Gosuslugi.Health.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.ServiceDefaults;

public static class MessagingExtensions
{
    /// <summary>
    /// Configuration flag set by the bus topology deployer (tools/BusTopology) when it builds a service: the bus declares
    /// the service's exchanges, queues and bindings and consumes nothing.
    /// </summary>
    public const string DeployTopologyOnlyKey = "Messaging:DeployTopologyOnly";

    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:rabbitmq</c>, an amqp:// URI): endpoints named
    /// "{service}-{consumer}" in kebab case, retries with exponential back-off and then the "_error" queue, a "ready"
    /// health check, and the outbox relay of <typeparamref name="TDb"/>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TDb>(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configure = null, string connectionName = "rabbitmq")
        where TDb : DbContext
    {
        var serviceName = TelemetryExtensions.ServiceName(builder);
        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Messaging:Outbox");
        var retry = builder.Configuration.GetSection("Messaging:Retry").Get<MessageRetryOptions>() ?? new MessageRetryOptions();
        builder.Services.TryAddSingleton<OutboxSignal<TDb>>();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            // MassTransit would report usage to its vendor over the internet: health data services send nothing out.
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = connectionName;
                health.Tags.Clear();
                health.Tags.Add(Extensions.ReadyTag);
            });
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var settings = RabbitMqSettings.Parse(context.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
                    ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured."));
                rabbit.Host(settings.Host, settings.Port, settings.VirtualHost, host =>
                {
                    host.Username(settings.Username);
                    host.Password(settings.Password);
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                });
                // Transient faults get a few quick retries; after the last one MassTransit moves the message to the
                // endpoint's "_error" queue (never acknowledged and dropped).
                rabbit.UseMessageRetry(r => r.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.Delta));
                rabbit.DeployTopologyOnly = context.GetRequiredService<IConfiguration>().GetValue<bool>(DeployTopologyOnlyKey);
                rabbit.ConfigureEndpoints(context);
            });
        });
        // After MassTransit's own hosted service, so the bus is starting before the relay first publishes.
        builder.Services.AddHostedService<OutboxRelay<TDb>>();
        return builder;
    }
}

/// <summary>Configuration section Messaging:Retry. Defaults suit production; tests shorten the intervals.</summary>
public sealed class MessageRetryOptions
{
    public int Limit { get; set; } = 5;
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Delta { get; set; } = TimeSpan.FromMilliseconds(400);
}

internal sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    /// <summary>amqp://user:pass@host:port/vhost; the vhost is URL-encoded and defaults to "/".</summary>
    public static RabbitMqSettings Parse(string connectionString)
    {
        var uri = new Uri(connectionString);
        if (uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
            throw new InvalidOperationException($"The RabbitMQ connection string must be an amqp:// URI, not {uri.Scheme}://.");
        var userInfo = uri.UserInfo.Split(':', 2);
        var username = userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        var path = uri.AbsolutePath.TrimStart('/');
        var vhost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (ushort)5672 : (ushort)uri.Port;
        return new RabbitMqSettings(uri.Host, port, vhost, username, password);
    }
}
