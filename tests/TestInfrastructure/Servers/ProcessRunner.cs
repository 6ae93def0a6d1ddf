namespace Gosuslugi.Health.TestInfrastructure.Servers;

internal static class ProcessRunner
{
    /// <summary>Runs a short command to completion; returns its exit code.</summary>
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> args, LogBuffer? log = null, CancellationToken cancellationToken = default)
    {
        using var process = ManagedProcess.Start(Path.GetFileName(fileName), fileName, args, log: log ?? new LogBuffer());
        await using var registration = cancellationToken.Register(process.Kill);
        var code = await process.Exited;
        cancellationToken.ThrowIfCancellationRequested();
        return code;
    }
}

internal static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void TryDelete(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }
}
