using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

public sealed record RabbitMqServerOptions
{
    /// <summary>Data folder (mnesia, logs, cookie); null = a new temporary folder, removed on dispose.</summary>
    public string? DataDirectory { get; init; }
    /// <summary>AMQP port; 0 = a free loopback port.</summary>
    public int Port { get; init; }
    /// <summary>Management HTTP API port; 0 = a free loopback port.</summary>
    public int ManagementPort { get; init; }
    /// <summary>Default user created on the first start of an empty data folder. guest works on loopback.</summary>
    public string UserName { get; init; } = "guest";
    public string Password { get; init; } = "guest";
    public Action<string>? OnOutput { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>
/// A RabbitMQ node run from the machine's packages as a child process, with its own HOME, Erlang
/// cookie, node and distribution ports and its OWN epmd (never the shared one on 4369), all on
/// 127.0.0.1. It can be stopped and started again on the same ports and data.
/// </summary>
public sealed class RabbitMqServer : ILocalServer
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly RabbitMqServerOptions _options;
    private readonly bool _ownsDirectory;
    private readonly string _root;
    private readonly int _distPort;
    private readonly int _epmdPort;
    private ManagedProcess? _node;
    private ManagedProcess? _epmd;
    private int _vhostCounter;

    private RabbitMqServer(RabbitMqServerOptions options)
    {
        _options = options;
        _ownsDirectory = options.DataDirectory is null;
        _root = Path.GetFullPath(options.DataDirectory ?? TempDirectory.Create("gh-rabbit"));
        Port = options.Port == 0 ? Ports.GetFree() : options.Port;
        ManagementPort = options.ManagementPort == 0 ? Ports.GetFree() : options.ManagementPort;
        _distPort = Ports.GetFree();
        _epmdPort = Ports.GetFree();
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public int ManagementPort { get; }
    public string UserName => _options.UserName;
    public string Password => _options.Password;
    public string DataDirectory => _root;
    public LogBuffer Log { get; } = new();
    public int? ProcessId => _node is { HasExited: false } n ? n.Id : null;
    public int? EpmdProcessId => _epmd is { HasExited: false } e ? e.Id : null;
    public bool IsRunning => _node is { HasExited: false };
    public Uri ManagementUrl => new($"http://127.0.0.1:{ManagementPort}/");

    /// <summary>amqp://user:pass@127.0.0.1:port/ (default vhost).</summary>
    public string ConnectionString => GetConnectionString("/");

    public string GetConnectionString(string virtualHost) =>
        $"amqp://{Uri.EscapeDataString(UserName)}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}/{(virtualHost == "/" ? "" : Uri.EscapeDataString(virtualHost))}";

    public static Task<RabbitMqServer> StartAsync(RabbitMqServerOptions? options = null, CancellationToken cancellationToken = default) =>
        LocalServer.StartNewAsync(() => new RabbitMqServer(options ?? new RabbitMqServerOptions()), cancellationToken);

    /// <summary>Starts (or starts again after <see cref="StopAsync"/>) on the same ports and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) return;
        if (!File.Exists(ServerScript))
        {
            throw new ServerStartException($"{ServerScript} not found (apt-get install rabbitmq-server).", "");
        }
        Directory.CreateDirectory(Path.Combine(_root, "log"));
        Directory.CreateDirectory(Path.Combine(_root, "mnesia"));
        var configFile = Path.Combine(_root, "rabbitmq.conf");
        await File.WriteAllTextAsync(configFile, string.Join('\n',
            $"listeners.tcp.default = 127.0.0.1:{Port}",
            $"management.tcp.ip = 127.0.0.1",
            $"management.tcp.port = {ManagementPort}",
            $"default_user = {UserName}",
            $"default_pass = {Password}",
            "log.console = true",
            "log.console.level = info",
            "log.console.use_colors = off",
            "log.file = false",
            // Test machines are small and shared; never stop publishers over disk or memory alarms.
            "disk_free_limit.absolute = 50MB",
            "vm_memory_high_watermark.relative = 0.8",
            ""), cancellationToken);
        var pluginsFile = Path.Combine(_root, "enabled_plugins");
        await File.WriteAllTextAsync(pluginsFile, "[rabbitmq_management].\n", cancellationToken);

        var epmdPort = _epmdPort.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = _root,
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_root, "log"),
            ["RABBITMQ_NODENAME"] = "rabbit@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmdPort,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            // A crashing Erlang VM (the server or rabbitmqctl) writes its dump here, not into the working directory.
            ["ERL_CRASH_DUMP"] = Path.Combine(_root, "log", "erl_crash.dump"),
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = pluginsFile,
            ["RABBITMQ_PID_FILE"] = Path.Combine(_root, "rabbit.pid"),
            // Makes the script exec the VM instead of supervising it from a shell: the pid we hold
            // is the node's own, and SIGTERM stops the node in order.
            ["RUNNING_UNDER_SYSTEMD"] = "true",
            ["RABBITMQ_USE_LONGNAME"] = null,
            ["ERL_INETRC"] = null,
        };

        // Our own epmd, in the foreground, so that we hold its pid and stop it with the node.
        _epmd = ManagedProcess.Start("epmd", "epmd", ["-port", epmdPort, "-address", "127.0.0.1"],
            environment: new Dictionary<string, string?> { ["ERL_EPMD_ADDRESS"] = "127.0.0.1", ["ERL_EPMD_PORT"] = epmdPort },
            log: Log);
        await WaitForPortAsync(_epmdPort, _epmd, "epmd", TimeSpan.FromSeconds(10), cancellationToken);

        _node = ManagedProcess.Start("rabbitmq", ServerScript, [], environment, _root, Log, _options.OnOutput);
        Watchdog.Guard(Native.SIGTERM, _ownsDirectory ? _root : null, _node.Id, _epmd.Id);

        try
        {
            await WaitReadyAsync(cancellationToken);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        using var http = CreateManagementClient();
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_node!.HasExited)
            {
                throw new ServerStartException($"RabbitMQ exited with code {await _node.Exited} while starting on port {Port}", Log.TailText());
            }
            if (await AmqpAnswersAsync(cancellationToken))
            {
                try
                {
                    using var response = await http.GetAsync("api/overview", cancellationToken);
                    if (response.IsSuccessStatusCode) return;
                    last = $"management API answered {(int)response.StatusCode}";
                }
                catch (HttpRequestException ex)
                {
                    last = ex.Message;
                }
            }
            else
            {
                last = "AMQP port not answering yet";
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new ServerStartException($"RabbitMQ was not ready on port {Port} within {_options.StartTimeout.TotalSeconds:0} s ({last})", Log.TailText());
    }

    /// <summary>Asks the management API: probing the AMQP port would fill the broker's log with aborted connections.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning) return false;
        try
        {
            using var http = CreateManagementClient();
            http.Timeout = TimeSpan.FromSeconds(5);
            using var response = await http.GetAsync("api/health/checks/alarms", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>True when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    private async Task<bool> AmqpAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\x09\x01"u8.ToArray(), timeout.Token);
            var buffer = new byte[1];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read == 1 && buffer[0] == 1; // frame type 1 = method frame (Connection.Start)
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WaitForPortAsync(int port, ManagedProcess process, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Ports.IsListening(port))
        {
            if (process.HasExited) throw new ServerStartException($"{what} exited with code {await process.Exited} (port {port})", process.Log.TailText());
            if (DateTime.UtcNow > deadline) throw new ServerStartException($"{what} did not listen on port {port}", process.Log.TailText());
            await Task.Delay(50, cancellationToken);
        }
    }

    public HttpClient CreateManagementClient()
    {
        var http = new HttpClient { BaseAddress = ManagementUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));
        return http;
    }

    /// <summary>Creates a new empty virtual host with a unique name (full rights for our user); returns its amqp:// connection string.</summary>
    public async Task<string> CreateVirtualHostAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= $"test-{Environment.ProcessId}-{Interlocked.Increment(ref _vhostCounter)}-{Guid.NewGuid().ToString("N")[..8]}";
        using var http = CreateManagementClient();
        var encoded = Uri.EscapeDataString(name);
        using (var response = await http.PutAsync($"api/vhosts/{encoded}", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken))
        {
            await EnsureSuccessAsync(response, $"create vhost {name}", cancellationToken);
        }
        using (var response = await http.PutAsync($"api/permissions/{encoded}/{Uri.EscapeDataString(UserName)}",
                   new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"), cancellationToken))
        {
            await EnsureSuccessAsync(response, $"grant {UserName} on vhost {name}", cancellationToken);
        }
        return GetConnectionString(name);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InvalidOperationException($"RabbitMQ management API: {what} failed with {(int)response.StatusCode}: {body}");
    }

    /// <summary>Orderly stop (SIGTERM makes the node shut down cleanly), then its epmd. Data and ports are kept.</summary>
    public async Task StopAsync()
    {
        if (_node is not null)
        {
            await _node.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(30));
            _node.Dispose();
            _node = null;
        }
        if (_epmd is not null)
        {
            await _epmd.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(5));
            _epmd.Dispose();
            _epmd = null;
        }
    }

    /// <summary>Immediate stop for process exit.</summary>
    internal void StopNow()
    {
        _node?.Kill();
        _epmd?.Kill();
        _node?.Exited.Wait(TimeSpan.FromSeconds(3));
        _node = null;
        _epmd = null;
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDirectory)
        {
            // Throw-away data: no need for an orderly shutdown.
            _node?.Kill();
            if (_node is not null) await Task.WhenAny(_node.Exited, Task.Delay(5000));
        }
        await StopAsync();
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }
}
