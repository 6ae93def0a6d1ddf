using System.Net.Http.Json;
using System.Text.Json;

namespace Gosuslugi.Health.Bench;

/// <summary>Reads the running system's resources from the AppHost dashboard's JSON.</summary>
public static class SystemUnderBench
{
    /// <summary>Waits until every resource is healthy and the demo accounts exist; returns the resources' first endpoints.</summary>
    public static async Task<IReadOnlyDictionary<string, Uri>> WaitUntilReadyAsync(Uri dashboard, string demoFile, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        string? waitingFor = "the dashboard";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var resources = await http.GetFromJsonAsync<JsonElement[]>("api/resources");
                var unhealthy = resources!.Where(r => r.GetProperty("health").GetString() != "Healthy").Select(r => r.GetProperty("name").GetString()).ToList();
                waitingFor = unhealthy.Count > 0 ? string.Join(", ", unhealthy) : File.Exists(demoFile) ? null : demoFile;
                if (waitingFor is null)
                {
                    return resources!
                        .Where(r => r.GetProperty("endpoints").GetArrayLength() > 0)
                        .ToDictionary(r => r.GetProperty("name").GetString()!, r => new Uri(r.GetProperty("endpoints")[0].GetString()!.TrimEnd('/') + "/"));
                }
            }
            catch (HttpRequestException)
            {
                // The AppHost is still starting.
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException($"The system was not ready after {timeout}: waiting for {waitingFor}.");
    }
}
