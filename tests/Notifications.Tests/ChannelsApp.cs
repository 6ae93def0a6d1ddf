using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.TestInfrastructure;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>The Notifications service with a recorded outbox (SMS, push) and a fast dispatcher.</summary>
public sealed class ChannelsApp() : ServiceUnderTest<Program, NotificationsDb>("notifications")
{
    public string OutboxDirectory { get; } = Directory.CreateTempSubdirectory("notifications-outbox-").FullName;

    public string OutboxFile => Path.Combine(OutboxDirectory, DevelopmentMessageRecorder.FileName);

    protected override void ConfigureWebHost(IWebHostBuilder web)
    {
        web.UseSetting("Notifications:Outbox:Directory", OutboxDirectory);
        web.UseSetting("Notifications:Dispatcher:Interval", "00:00:00.100");
    }

    /// <summary>The recorded lines whose destination is <paramref name="destination"/>.</summary>
    public IReadOnlyList<string> RecordedTo(string destination) =>
        File.Exists(OutboxFile)
            ? File.ReadAllLines(OutboxFile)
                .Where(l => JsonDocument.Parse(l).RootElement.GetProperty("destination").GetString() == destination).ToList()
            : [];
}

[CollectionDefinition(Name)]
public sealed class ChannelsCollection : ICollectionFixture<ChannelsApp>
{
    public const string Name = "notification-channels";
}
