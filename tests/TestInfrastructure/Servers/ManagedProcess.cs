using System.Diagnostics;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

/// <summary>
/// A child process whose stdout and stderr are kept as a bounded tail of lines (for dashboards and
/// error messages) and optionally forwarded line by line.
/// </summary>
public sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly LogBuffer _log;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process, LogBuffer log)
    {
        _process = process;
        _log = log;
    }

    private const string SetsidPath = "/usr/bin/setsid";

    public int Id { get; private set; }
    public string Name { get; private init; } = "";
    public Task<int> Exited => _exited.Task;
    public bool HasExited => _exited.Task.IsCompleted;
    public LogBuffer Log => _log;

    public static ManagedProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        LogBuffer? log = null,
        Action<string>? onLine = null)
    {
        // Its own session: a Ctrl+C on the terminal reaches only the owner, which then stops its
        // children in order, instead of every child at once. setsid execs in place: same pid.
        var arguments2 = arguments.ToList();
        if (File.Exists(SetsidPath))
        {
            arguments2.Insert(0, fileName);
            fileName = SetsidPath;
        }
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments2) info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        }

        var buffer = log ?? new LogBuffer();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, buffer) { Name = name };
        void Line(string? line)
        {
            if (line is null) return;
            buffer.Add(line);
            onLine?.Invoke(line);
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Exited += (_, _) =>
        {
            // Let the output readers drain before reporting the exit.
            try { process.WaitForExit(); } catch (InvalidOperationException) { }
            int code;
            try { code = process.ExitCode; } catch (InvalidOperationException) { code = -1; }
            managed._exited.TrySetResult(code);
        };
        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            throw new ServerStartException($"{name}: cannot start '{fileName}': {ex.Message}", "", ex);
        }
        managed.Id = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public bool Signal(int signal) => !HasExited && Native.Signal(Id, signal);

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then SIGKILL.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (HasExited) return;
        Signal(signal);
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            Kill();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    public void Kill()
    {
        if (HasExited) return;
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>The last N lines of a process's output; thread-safe.</summary>
public sealed class LogBuffer(int capacity = 200)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public IReadOnlyList<string> Tail(int count = 50)
    {
        lock (_gate) return _lines.Skip(Math.Max(0, _lines.Count - count)).ToArray();
    }

    public string TailText(int count = 30) => string.Join(Environment.NewLine, Tail(count));
}

/// <summary>A server or process did not start; the message carries the tail of its log.</summary>
public sealed class ServerStartException(string message, string logTail, Exception? inner = null)
    : Exception(string.IsNullOrWhiteSpace(logTail) ? message : $"{message}{Environment.NewLine}--- last log lines ---{Environment.NewLine}{logTail}", inner)
{
    public string LogTail { get; } = logTail;
}
