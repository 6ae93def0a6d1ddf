using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

public sealed record RedisServerOptions
{
    /// <summary>Data folder; null = a new temporary folder, removed on dispose.</summary>
    public string? DataDirectory { get; init; }
    /// <summary>0 = a free loopback port.</summary>
    public int Port { get; init; }
    /// <summary>requirepass; null = no password (tests).</summary>
    public string? Password { get; init; }
    /// <summary>Append-only file and snapshots; off for throw-away data.</summary>
    public bool Durable { get; init; }
    public Action<string>? OnOutput { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>A redis-server run from the machine's packages as a child process on 127.0.0.1.</summary>
public sealed class RedisServer : ILocalServer
{
    private readonly RedisServerOptions _options;
    private readonly bool _ownsDirectory;
    private readonly string _root;
    private ManagedProcess? _process;

    private RedisServer(RedisServerOptions options)
    {
        _options = options;
        _ownsDirectory = options.DataDirectory is null;
        _root = Path.GetFullPath(options.DataDirectory ?? TempDirectory.Create("gh-redis"));
        Port = options.Port == 0 ? Ports.GetFree() : options.Port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public string? Password => _options.Password;
    public string DataDirectory => _root;
    public LogBuffer Log { get; } = new();
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>"127.0.0.1:port" (with ",password=..." when a password is set).</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public static Task<RedisServer> StartAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default) =>
        LocalServer.StartNewAsync(() => new RedisServer(options ?? new RedisServerOptions()), cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) return;
        Directory.CreateDirectory(_root);
        // Options go through a config file so the password never shows in `ps`.
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"port {Port}")
            .AppendLine("bind 127.0.0.1")
            .AppendLine("protected-mode yes")
            .AppendLine(CultureInfo.InvariantCulture, $"dir {_root}")
            .AppendLine("daemonize no")
            .AppendLine("logfile \"\"")
            .AppendLine(_options.Durable ? "appendonly yes" : "appendonly no")
            .AppendLine(_options.Durable ? "save 60 1" : "save \"\"");
        if (Password is not null) config.AppendLine(CultureInfo.InvariantCulture, $"requirepass {Password}");
        var configFile = Path.Combine(_root, "redis.conf");
        await File.WriteAllTextAsync(configFile, config.ToString(), cancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var fileName = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        _process = ManagedProcess.Start("redis", fileName, [configFile], workingDirectory: _root, log: Log, onLine: _options.OnOutput);
        Watchdog.Guard(Native.SIGTERM, _ownsDirectory ? _root : null, _process.Id);

        var deadline = DateTime.UtcNow + _options.StartTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new ServerStartException($"redis-server exited with code {await _process.Exited} while starting on port {Port}", Log.TailText());
            }
            try
            {
                var reply = await CommandAsync("PING", cancellationToken);
                if (reply.StartsWith("+PONG", StringComparison.Ordinal)) return;
                last = reply;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                last = ex.Message;
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new ServerStartException($"redis-server not ready on port {Port} within {_options.StartTimeout.TotalSeconds:0} s ({last})", Log.TailText());
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        if (ProcessId is null) return false;
        try
        {
            return (await CommandAsync("PING", cancellationToken)).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>Sends one inline command (after AUTH when needed) and returns the first reply line.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (Password is not null)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"AUTH \"{Password}\"\r\n"), cancellationToken);
            var auth = await reader.ReadLineAsync(cancellationToken) ?? "";
            if (!auth.StartsWith('+')) return auth;
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
        return await reader.ReadLineAsync(cancellationToken) ?? "";
    }

    /// <summary>SIGTERM: redis saves (when durable) and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(20));
        _process.Dispose();
        _process = null;
    }

    internal void StopNow()
    {
        _process?.Kill();
        _process?.Exited.Wait(TimeSpan.FromSeconds(3));
        _process = null;
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDirectory) _process?.Kill();
        await StopAsync();
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }
}
