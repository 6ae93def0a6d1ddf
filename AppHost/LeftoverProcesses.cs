using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gosuslugi.Health.AppHost;

/// <summary>
/// After DCP has stopped every resource, ends what a server left behind: RabbitMQ's epmd monitor starts a new
/// `epmd -daemon` when our epmd resource stops first (DCP stops resources in no order), and that daemon would hold the
/// port of the next run. A process is ours when its environment names the data folder, or when it is one of the
/// servers we start and its command line names it. Our own code because neither Aspire nor DCP tracks grandchildren
/// that detached themselves.
/// </summary>
public sealed class LeftoverProcesses(AppHostOptions options, IHostApplicationLifetime lifetime, ILogger<LeftoverProcesses> logger) : IHostedService
{
    private static readonly HashSet<string> ServerNames = ["epmd", "beam.smp", "erl_child_setup", "inet_gethost", "postgres", "redis-server", "python3", "dotnet"];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsLinux()) lifetime.ApplicationStopped.Register(() => EndAll(TimeSpan.FromSeconds(10)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits up to <paramref name="grace"/> for them to end on their own, then sends SIGKILL.</summary>
    private void EndAll(TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        int[] left;
        while ((left = Find(options.DataDirectory)).Length > 0 && DateTime.UtcNow < deadline) Thread.Sleep(250);
        foreach (var pid in left)
        {
            logger.LogWarning("Process {Pid} ({Command}) was still running after the AppHost stopped; killing it", pid, Read($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim());
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
    }

    public static int[] Find(string dataDirectory)
    {
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self) continue;
            var environment = Read($"{directory}/environ");
            var ours = environment.Contains(dataDirectory, StringComparison.Ordinal)
                || ServerNames.Contains(Read($"{directory}/comm").Trim()) && Read($"{directory}/cmdline").Contains(dataDirectory, StringComparison.Ordinal);
            if (ours) found.Add(pid);
        }
        return [.. found];
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return ""; }
    }
}
