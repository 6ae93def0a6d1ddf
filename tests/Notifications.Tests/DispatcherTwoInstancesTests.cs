using Gosuslugi.Health.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Tests;

[Collection(ChannelsCollection.Name)]
public sealed class DispatcherTwoInstancesTests(ChannelsApp app)
{
    [Fact]
    public async Task Two_instances_send_each_delivery_exactly_once()
    {
        await app.StartAnotherInstanceAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var destinations = Enumerable.Range(0, 200).Select(i => $"push-{run}-{i}").ToList();
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            foreach (var destination in destinations)
            {
                db.Deliveries.Add(ChannelsTests.NewDelivery(Guid.CreateVersion7(), Domain.Channels.Push, destination, now));
            }
            await db.SaveChangesAsync();
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        int pending;
        do
        {
            await Task.Delay(200);
            pending = await app.WithDbAsync(db => db.Deliveries.CountAsync(d =>
                d.Destination.StartsWith($"push-{run}-") && d.Status != DeliveryStatuses.Sent));
        }
        while (pending > 0 && DateTime.UtcNow < deadline);

        Assert.Equal(0, pending);
        Assert.All(destinations, d => Assert.Single(app.RecordedTo(d)));
    }
}
