using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gosuslugi.Health.AppHost;

/// <summary>
/// Waits until resources are healthy, and fails at once when one of them ends instead (Aspire's
/// WaitForResourceHealthyAsync would wait for ever on a server that exited, e.g. for want of its port).
/// </summary>
public static class ResourceReadiness
{
    public static Task WaitAllHealthyAsync(this ResourceNotificationService notifications, IEnumerable<string> names, CancellationToken ct) =>
        Task.WhenAll(names.Select(name => notifications.WaitHealthyAsync(name, ct)));

    public static async Task WaitHealthyAsync(this ResourceNotificationService notifications, string name, CancellationToken ct)
    {
        var reached = await notifications.WaitForResourceAsync(name,
            e => e.Snapshot.HealthStatus == HealthStatus.Healthy && e.Snapshot.State?.Text == KnownResourceStates.Running || IsTerminal(e.Snapshot), ct);
        if (IsTerminal(reached.Snapshot))
        {
            throw new InvalidOperationException(
                $"Resource {name} ended ({reached.Snapshot.State?.Text}, exit code {reached.Snapshot.ExitCode?.ToString() ?? "none"}) instead of becoming healthy; its console log is on the dashboard.");
        }
    }

    private static bool IsTerminal(CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state);
}
