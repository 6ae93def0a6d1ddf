using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gosuslugi.Health.AppHost;

/// <summary>
/// Once every resource is healthy: prints the gateway, the dashboard (with its login URL) and the demo accounts, and
/// writes each resource's endpoint to &lt;data&gt;/resources.json for scripts such as the benchmarks.
/// </summary>
public sealed class ReadySummary(IServiceProvider services, AppHostOptions options, string gatewayUrl,
    (string Url, string AuthorityPath) gatewayHttps, string dashboardUrl, string? dashboardLogin)
    : BackgroundService
{
    public const string ResourcesFile = "resources.json";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        // Servers, databases and projects; the one-shot init completes, parameters have no health.
        var awaited = model.Resources.Where(IsAwaited).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.StartupTimeout);
        try
        {
            var healthy = notifications.WaitAllHealthyAsync(awaited.Select(r => r.Name), timeout.Token);
            // Every 30 s while starting: what is still not healthy (details on the dashboard).
            while (await Task.WhenAny(healthy, Task.Delay(TimeSpan.FromSeconds(30), timeout.Token)) != healthy)
            {
                timeout.Token.ThrowIfCancellationRequested();
                Console.WriteLine($"Waiting for: {string.Join(", ", NotHealthy(awaited, notifications))}");
            }
            await healthy;
        }
        catch (InvalidOperationException ex)
        {
            Console.WriteLine($"{ex.Message} See the dashboard: {dashboardLogin ?? dashboardUrl}");
            return;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            Console.WriteLine($"Not healthy after {options.StartupTimeout.TotalSeconds:0} s: {string.Join(", ", NotHealthy(awaited, notifications))}. See the dashboard: {dashboardLogin ?? dashboardUrl}");
            return;
        }

        var endpoints = new JsonObject();
        foreach (var resource in awaited.OfType<IResourceWithEndpoints>())
        {
            if (resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault() is { AllocatedEndpoint: { } allocated } endpoint)
            {
                endpoints[resource.Name] = $"{endpoint.UriScheme}://127.0.0.1:{allocated.Port}/";
            }
        }
        await File.WriteAllTextAsync(Path.Combine(options.DataDirectory, ResourcesFile), endpoints.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), stoppingToken);

        var demoFile = Path.Combine(options.DataDirectory, "demo.json");
        var lines = new List<string>
        {
            "",
            "==================================================================",
            // The process start: under ./run.sh (which execs the AppHost) that includes the build.
            $"  Ready {(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalSeconds:0} s after the process started.",
            $"  Gateway:    {gatewayUrl}",
            $"              {gatewayHttps.Url} (TLS 1.3; trust {gatewayHttps.AuthorityPath})",
            $"  Dashboard:  {dashboardLogin ?? dashboardUrl}",
            $"  Mailbox:    {endpoints["mailbox"]?.GetValue<string>().TrimEnd('/')}",
        };
        if (File.Exists(demoFile))
        {
            lines.Add($"  Demo accounts ({demoFile}):");
            try
            {
                foreach (var (key, value) in JsonNode.Parse(await File.ReadAllTextAsync(demoFile, stoppingToken))!.AsObject())
                {
                    lines.Add(value is JsonObject account
                        ? $"    {key,-20} " + string.Join("  ", account.Select(kv => $"{kv.Key}={kv.Value}"))
                        : $"    {key,-20} {value}");
                }
            }
            catch (JsonException ex)
            {
                lines.Add($"    (unreadable: {ex.Message})");
            }
        }
        else
        {
            lines.Add($"  Demo accounts: {demoFile} not written yet (identity writes it on its first start)");
        }
        lines.Add("  Ctrl+C stops everything.");
        lines.Add("==================================================================");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    /// <summary>
    /// Servers, databases and projects; not the one-shot init (it completes), nor what starts only on request (the
    /// rebuilders Aspire adds to each project), nor parameters (no health).
    /// </summary>
    public static bool IsAwaited(IResource resource) =>
        resource is ExecutableResource or ProjectResource or PostgresDatabaseResource
        && !resource.Name.EndsWith("-init", StringComparison.Ordinal)
        && !resource.Annotations.OfType<ExplicitStartupAnnotation>().Any();

    private static IEnumerable<string> NotHealthy(IEnumerable<IResource> resources, ResourceNotificationService notifications) =>
        from resource in resources
        let known = notifications.TryGetCurrentState(resource.Name, out var e) ? e.Snapshot : null
        where known?.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
        select $"{resource.Name} ({known?.State?.Text ?? "unknown"}, {known?.HealthStatus?.ToString() ?? "no health yet"})";
}
