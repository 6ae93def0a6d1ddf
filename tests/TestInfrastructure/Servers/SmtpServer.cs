using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

public sealed record SmtpServerOptions
{
    /// <summary>The Maildir where received messages are stored; null = a new temporary folder, removed on dispose.</summary>
    public string? MailDirectory { get; init; }
    /// <summary>0 = a free loopback port.</summary>
    public int Port { get; init; }
    public Action<string>? OnOutput { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A real SMTP server for development and tests: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1, storing every
/// message it accepts in a Maildir instead of relaying it, so that e-mail can be read back without leaving the machine.
/// </summary>
public sealed class SmtpServer : ILocalServer
{
    // Debian's interpreter: a python3 earlier on PATH (pyenv, a venv) does not see Debian's python3-aiosmtpd.
    private const string DebianPython = "/usr/bin/python3";

    private readonly SmtpServerOptions _options;
    private readonly bool _ownsDirectory;
    private ManagedProcess? _process;

    private SmtpServer(SmtpServerOptions options)
    {
        _options = options;
        _ownsDirectory = options.MailDirectory is null;
        MailDirectory = Path.GetFullPath(options.MailDirectory ?? TempDirectory.Create("gh-smtp"));
        Port = options.Port == 0 ? Ports.GetFree() : options.Port;
    }

    public int Port { get; }
    public string MailDirectory { get; }
    public LogBuffer Log { get; } = new();
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>"smtp://127.0.0.1:port": what ConnectionStrings:smtp holds.</summary>
    public string ConnectionString => $"smtp://127.0.0.1:{Port}";

    public static Task<SmtpServer> StartAsync(SmtpServerOptions? options = null, CancellationToken cancellationToken = default) =>
        LocalServer.StartNewAsync(() => new SmtpServer(options ?? new SmtpServerOptions()), cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) return;
        // Python's mailbox.Maildir makes its cur/new/tmp layout only for a folder that does not exist yet, and the
        // dashboard may have made the folder already.
        foreach (var folder in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(MailDirectory, folder));
        var python = File.Exists(DebianPython) ? DebianPython : "python3";
        // -n: do not try to switch to the user nobody; -u: accept UTF-8 addresses (RFC 6531).
        _process = ManagedProcess.Start("smtp", python,
            ["-m", "aiosmtpd", "-n", "-u", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDirectory],
            log: Log, onLine: _options.OnOutput);
        Watchdog.Guard(Native.SIGTERM, _ownsDirectory ? MailDirectory : null, _process.Id);

        var deadline = DateTime.UtcNow + _options.StartTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new ServerStartException($"aiosmtpd exited with code {await _process.Exited} while starting on port {Port}", Log.TailText());
            }
            if (await IsHealthyAsync(cancellationToken)) return;
            last = "no 220 greeting yet";
            await Task.Delay(100, cancellationToken);
        }
        throw new ServerStartException($"aiosmtpd not ready on port {Port} within {_options.StartTimeout.TotalSeconds:0} s ({last})", Log.TailText());
    }

    /// <summary>True when the server answers with its 220 greeting.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        if (ProcessId is null) return false;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            var greeting = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return greeting?.StartsWith("220", StringComparison.Ordinal) == true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The raw messages received so far (RFC 5322 text), oldest first.</summary>
    public IReadOnlyList<string> ReadMessages() => ReadMessages(MailDirectory);

    /// <summary>The raw messages of a Maildir, oldest first.</summary>
    public static IReadOnlyList<string> ReadMessages(string mailDirectory) =>
        new[] { "new", "cur" }
            .Select(folder => Path.Combine(mailDirectory, folder))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(file => new FileInfo(file))
            .OrderBy(file => file.LastWriteTimeUtc).ThenBy(file => file.Name, StringComparer.Ordinal)
            .Select(file => File.ReadAllText(file.FullName))
            .ToList();

    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(10));
        _process.Dispose();
        _process = null;
    }

    internal void StopNow()
    {
        _process?.Kill();
        _process?.Exited.Wait(TimeSpan.FromSeconds(3));
        _process = null;
        if (_ownsDirectory) TempDirectory.TryDelete(MailDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory) TempDirectory.TryDelete(MailDirectory);
    }
}
