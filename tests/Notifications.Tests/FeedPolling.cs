using System.Net;
using System.Text.Json.Nodes;

namespace Gosuslugi.Health.Notifications.Tests;

/// <summary>Waits, through the feed API with the patient's own token, for what a consumer notified.</summary>
public static class FeedPolling
{
    public static async Task<JsonObject> WaitForItemAsync(this HttpClient client, string category, Func<JsonObject, bool>? match = null,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var items = await client.FeedAsync();
            var item = items.FirstOrDefault(i => i["category"]!.GetValue<string>() == category && (match?.Invoke(i) ?? true));
            if (item is not null) return item;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {category} notification in the feed; it has: " +
                    string.Join(" | ", items.Select(i => i["title"]!.GetValue<string>())));
            }
            await Task.Delay(100);
        }
    }

    public static async Task<List<JsonObject>> FeedAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/notifications?limit=100");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    /// <summary>Polls <paramref name="query"/> until <paramref name="condition"/> holds (a consumer ran).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> query, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await query();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
