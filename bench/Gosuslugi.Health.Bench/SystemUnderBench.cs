using System.Text.Json;

namespace Gosuslugi.Health.Bench;

/// <summary>
/// Waits for the running system: the AppHost writes &lt;data&gt;/resources.json (each resource's endpoint) once every
/// resource is healthy on the Aspire dashboard.
/// </summary>
public static class SystemUnderBench
{
    /// <summary>Waits until every resource is healthy and the demo accounts exist; returns the resources' endpoints.</summary>
    public static async Task<IReadOnlyDictionary<string, Uri>> WaitUntilReadyAsync(string resourcesFile, string demoFile, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(resourcesFile) && File.Exists(demoFile))
            {
                try
                {
                    var resources = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(resourcesFile))!;
                    return resources.ToDictionary(r => r.Key, r => new Uri(r.Value.TrimEnd('/') + "/"));
                }
                catch (JsonException)
                {
                    // Being written right now.
                }
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException($"The system was not ready after {timeout}: {resourcesFile} or {demoFile} is missing.");
    }
}
