using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gosuslugi.Health.Hosting;

/// <summary>
/// Runs the declared system: servers first (each ready before anything that needs it), databases,
/// then projects in WaitFor order; serves the dashboard; on Ctrl+C / SIGTERM stops the projects,
/// then the servers, so that nothing it started outlives it.
/// </summary>
public sealed class DistributedApplicationHost
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly AppHostOptions _options;
    private readonly ConsoleOutput _console;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private int _dashboardPort;

    internal DistributedApplicationHost(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        _options = builder.Options;
        _console = new ConsoleOutput(_options.Color);
    }

    public IReadOnlyList<Resource> Resources => _builder.Resources;
    private string PidFile => Path.Combine(_options.DataDirectory, "apphost.pids");

    /// <summary>
    /// Where development providers leave what they would send: identity's codes, Notifications' SMS and push
    /// (JSON lines), and the SMTP server's Maildir ("email"). The dashboard shows the newest of them.
    /// </summary>
    internal string MailboxDirectory => Path.Combine(_options.DataDirectory, "mailbox");

    private string MailDirectory => Path.Combine(MailboxDirectory, "email");

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync()
    {
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

        Dashboard? dashboard = null;
        var exitCode = 0;
        try
        {
            PrepareDataDirectory();
            var secrets = LoadOrCreateSecrets();
            PlanPorts();
            dashboard = await Dashboard.StartAsync(this, _dashboardPort);
            _console.System($"dashboard: {dashboard.Url}");

            await StartServersAsync(secrets, _shutdown.Token);
            await CreateDatabasesAsync(_shutdown.Token);
            _ = Task.Run(() => PollHealthAsync(_shutdown.Token));
            await StartProjectsAsync(_shutdown.Token);
            PrintSummary(dashboard.Url);
            await Task.Delay(Timeout.Infinite, _shutdown.Token);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            exitCode = 1;
            _console.System($"FAILED: {ex.Message}");
        }
        finally
        {
            _console.System("stopping...");
            await StopAllAsync();
            if (dashboard is not null) await dashboard.DisposeAsync();
            _console.System("stopped.");
        }
        Environment.ExitCode = exitCode;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the orderly stop below replaces the runtime's default termination.
        context.Cancel = true;
        _shutdown.Cancel();
    }

    private void PrepareDataDirectory()
    {
        if (_options.Fresh && Directory.Exists(_options.DataDirectory))
        {
            StopLeftovers();
            _console.System($"--fresh: removing {_options.DataDirectory}");
            Directory.Delete(_options.DataDirectory, recursive: true);
        }
        Directory.CreateDirectory(_options.DataDirectory);
        StopLeftovers();
    }

    /// <summary>A previous AppHost that was killed may have left servers running on our data.</summary>
    private void StopLeftovers()
    {
        if (!File.Exists(PidFile)) return;
        foreach (var line in File.ReadAllLines(PidFile))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !Native.IsAlive(pid)) continue;
            string commandLine;
            try { commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
            catch (IOException) { continue; }
            if (!commandLine.Contains(parts[1], StringComparison.Ordinal)) continue; // pid reused by something else
            _console.System($"stopping leftover process {pid} ({parts[1]}) from a previous run");
            Native.Signal(pid, Native.SIGTERM);
            for (var i = 0; i < 100 && Native.IsAlive(pid); i++) Thread.Sleep(100);
            if (Native.IsAlive(pid)) Native.Signal(pid, Native.SIGKILL);
        }
        File.Delete(PidFile);
    }

    private void RecordPid(int? pid, string marker)
    {
        if (pid is null) return;
        lock (_builder) File.AppendAllText(PidFile, $"{pid} {marker}\n");
    }

    private sealed record Secrets(string PostgresPassword, string RedisPassword, string RabbitMqUser, string RabbitMqPassword);

    private Secrets LoadOrCreateSecrets()
    {
        var file = Path.Combine(_options.DataDirectory, "secrets.json");
        if (File.Exists(file))
        {
            var existing = JsonSerializer.Deserialize<Secrets>(File.ReadAllText(file), JsonOptions.Web);
            if (existing is not null) return existing;
        }
        var secrets = new Secrets(NewSecret(24), NewSecret(24), "health_" + NewSecret(6).ToLowerInvariant(), NewSecret(24));
        File.WriteAllText(file, JsonSerializer.Serialize(secrets, JsonOptions.WebIndented));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secrets;
    }

    private static string NewSecret(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", length);

    private int _rabbitManagementPort;

    private void PlanPorts()
    {
        _dashboardPort = _options.Port(null, _options.DashboardPort, 1, 18888);
        var projectIndex = 0;
        foreach (var resource in Resources)
        {
            switch (resource)
            {
                case PostgresServerResource pg:
                    pg.RequestedPort = _options.Port(pg.RequestedPort, null, 2, 55432);
                    break;
                case RabbitMQServerResource rabbit:
                    rabbit.RequestedPort = _options.Port(rabbit.RequestedPort, null, 3, 55672);
                    _rabbitManagementPort = _options.Port(null, null, 4, 55673);
                    break;
                case RedisResource redis:
                    redis.RequestedPort = _options.Port(redis.RequestedPort, null, 5, 56379);
                    break;
                case SmtpResource smtp:
                    smtp.RequestedPort = _options.Port(smtp.RequestedPort, null, 6, 52525);
                    break;
                case ProjectResource project when project.Name == "gateway":
                    project.Port = _options.Port(project.RequestedPort, _options.GatewayPort, 0, 8080);
                    break;
                case ProjectResource project:
                    projectIndex++;
                    project.Port = _options.Port(project.RequestedPort, null, 9 + projectIndex, 5100 + projectIndex);
                    break;
            }
        }
        var ports = new List<int> { _dashboardPort, _rabbitManagementPort };
        ports.AddRange(Resources.Select(r => r switch { ProjectResource p => p.Port, PostgresDatabaseResource => 0, _ => r.RequestedPort ?? 0 }));
        var busy = ports.Where(p => p > 0 && !Ports.IsFree(p)).ToArray();
        if (busy.Length > 0)
        {
            throw new InvalidOperationException(
                $"Port(s) {string.Join(", ", busy)} are in use (another AppHost?). Stop it, or pass --port-base N or --random-ports.");
        }
    }

    private async Task StartServersAsync(Secrets secrets, CancellationToken cancellationToken)
    {
        var starts = new List<Task>();
        foreach (var resource in Resources)
        {
            var state = resource.State;
            switch (resource)
            {
                case PostgresServerResource pg:
                    starts.Add(StartServerAsync(pg, async () =>
                    {
                        var options = new PostgresServerOptions
                        {
                            DataDirectory = Path.Combine(_options.DataDirectory, "postgres"),
                            Port = pg.RequestedPort!.Value, Password = secrets.PostgresPassword, Durable = true,
                            OnOutput = line => _console.Line(pg.Name, line),
                        };
                        state.Endpoints = [$"tcp://127.0.0.1:{options.Port}"];
                        pg.Server = await PostgresServer.StartAsync(options, cancellationToken);
                        state.Log = pg.Server.Log;
                        state.SetProcessIds(pg.Server.ProcessId);
                        RecordPid(pg.Server.ProcessId, "postgres");
                    }));
                    break;
                case RabbitMQServerResource rabbit:
                    starts.Add(StartServerAsync(rabbit, async () =>
                    {
                        var options = new RabbitMqServerOptions
                        {
                            DataDirectory = Path.Combine(_options.DataDirectory, "rabbitmq"),
                            Port = rabbit.RequestedPort!.Value, ManagementPort = _rabbitManagementPort,
                            UserName = secrets.RabbitMqUser, Password = secrets.RabbitMqPassword,
                            OnOutput = line => _console.Line(rabbit.Name, line),
                        };
                        state.Endpoints = [$"amqp://127.0.0.1:{options.Port}", $"http://127.0.0.1:{options.ManagementPort}"];
                        rabbit.Server = await RabbitMqServer.StartAsync(options, cancellationToken);
                        state.Log = rabbit.Server.Log;
                        state.SetProcessIds(rabbit.Server.ProcessId, rabbit.Server.EpmdProcessId);
                        RecordPid(rabbit.Server.ProcessId, "rabbit");
                        RecordPid(rabbit.Server.EpmdProcessId, "epmd");
                    }));
                    break;
                case RedisResource redis:
                    starts.Add(StartServerAsync(redis, async () =>
                    {
                        var options = new RedisServerOptions
                        {
                            DataDirectory = Path.Combine(_options.DataDirectory, "redis"),
                            Port = redis.RequestedPort!.Value, Password = secrets.RedisPassword, Durable = true,
                            OnOutput = line => _console.Line(redis.Name, line),
                        };
                        state.Endpoints = [$"tcp://127.0.0.1:{options.Port}"];
                        redis.Server = await RedisServer.StartAsync(options, cancellationToken);
                        state.Log = redis.Server.Log;
                        state.SetProcessIds(redis.Server.ProcessId);
                        RecordPid(redis.Server.ProcessId, "redis-server");
                    }));
                    break;
                case SmtpResource smtp:
                    starts.Add(StartServerAsync(smtp, async () =>
                    {
                        var options = new SmtpServerOptions
                        {
                            MailDirectory = MailDirectory,
                            Port = smtp.RequestedPort!.Value,
                            OnOutput = line => _console.Line(smtp.Name, line),
                        };
                        state.Endpoints = [$"smtp://127.0.0.1:{options.Port}"];
                        smtp.Server = await SmtpServer.StartAsync(options, cancellationToken);
                        state.Log = smtp.Server.Log;
                        state.SetProcessIds(smtp.Server.ProcessId);
                        RecordPid(smtp.Server.ProcessId, "aiosmtpd");
                    }));
                    break;
            }
        }
        await Task.WhenAll(starts);
    }

    private async Task StartServerAsync(Resource resource, Func<Task> start)
    {
        resource.State.SetState("Starting");
        var clock = Stopwatch.StartNew();
        try
        {
            await start();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            resource.State.SetState("FailedToStart");
            throw new InvalidOperationException($"{resource.Name} failed to start: {ex.Message}", ex);
        }
        resource.State.SetState("Running");
        resource.State.SetHealth(true, null);
        _console.System($"{resource.Name} ({resource.Type}) ready on {string.Join(", ", resource.State.Endpoints)} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task CreateDatabasesAsync(CancellationToken cancellationToken)
    {
        foreach (var database in Resources.OfType<PostgresDatabaseResource>())
        {
            await database.Parent.Server!.EnsureDatabaseAsync(database.DatabaseName, cancellationToken);
            database.State.Endpoints = [$"tcp://127.0.0.1:{database.Parent.Server.Port}/{database.DatabaseName}"];
            database.State.SetState("Running");
            database.State.SetHealth(true, null);
        }
    }

    private async Task StartProjectsAsync(CancellationToken cancellationToken)
    {
        var projects = Resources.OfType<ProjectResource>().ToArray();
        await Task.WhenAll(projects.Select(p => RunProjectAsync(p, cancellationToken)));
    }

    private async Task RunProjectAsync(ProjectResource project, CancellationToken cancellationToken)
    {
        var state = project.State;
        state.SetState("Waiting");
        foreach (var dependency in project.WaitsFor)
        {
            var dependencyReady = dependency.State.Ready.Task;
            var settled = await Task.WhenAny(dependencyReady, dependency.State.Failed.Task, Task.Delay(_options.StartupTimeout, cancellationToken));
            if (settled != dependencyReady)
            {
                _console.System(settled == dependency.State.Failed.Task
                    ? $"{project.Name}: {dependency.Name} is down ({dependency.State.State}); starting anyway"
                    : $"{project.Name}: {dependency.Name} is not healthy after {_options.StartupTimeout.TotalSeconds:0} s; starting anyway");
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        if (!File.Exists(project.TargetPath))
        {
            state.SetState("FailedToStart");
            _console.System($"{project.Name}: {project.TargetPath} does not exist (build the AppHost first)");
            return;
        }
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = project.Url,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["DOTNET_NOLOGO"] = "1",
            // The AppHost prefixes lines; colours from the child would only add escape codes.
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        };
        foreach (var (key, value) in project.Environment) environment[key] = value();

        state.Endpoints = [project.Url];
        state.SetState("Starting");
        var process = ManagedProcess.Start(project.Name, "dotnet", [project.TargetPath], environment,
            Path.GetDirectoryName(project.ProjectPath), state.Log, line => _console.Line(project.Name, line));
        project.Process = process;
        state.SetProcessIds(process.Id);
        RecordPid(process.Id, project.TargetPath);
        Watchdog.Guard(Native.SIGTERM, null, process.Id);
        _ = process.Exited.ContinueWith(t =>
        {
            state.SetState(_shutdown.IsCancellationRequested ? "Stopped" : "Exited", t.Result);
            state.SetHealth(false, $"exited with code {t.Result}");
            if (!_shutdown.IsCancellationRequested) _console.System($"{project.Name} exited with code {t.Result}");
        }, TaskScheduler.Default);
        state.SetState("Running");

        var clock = Stopwatch.StartNew();
        var ready = state.Ready.Task;
        if (await Task.WhenAny(ready, process.Exited, Task.Delay(_options.StartupTimeout, cancellationToken)) == ready)
        {
            _console.System($"{project.Name} healthy at {project.Url} in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        else if (!process.HasExited)
        {
            _console.System($"{project.Name} is not healthy after {_options.StartupTimeout.TotalSeconds:0} s ({state.HealthDetail})");
        }
    }

    private async Task PollHealthAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var checks = Resources.Select(r => CheckAsync(r, cancellationToken)).ToArray();
            try
            {
                await Task.WhenAll(checks);
                // Fast while something is starting, calm afterwards.
                var allHealthy = Resources.All(r => r.State.Health == "Healthy");
                await Task.Delay(allHealthy ? 5000 : 1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CheckAsync(Resource resource, CancellationToken cancellationToken)
    {
        try
        {
            switch (resource)
            {
                case ProjectResource project when project.Process is { HasExited: false }:
                    using (var response = await _http.GetAsync($"{project.Url}/health/ready", cancellationToken))
                    {
                        project.State.SetHealth(response.IsSuccessStatusCode, $"/health/ready answered {(int)response.StatusCode}");
                    }
                    break;
                case PostgresServerResource { Server: { } server } pg:
                    pg.State.SetHealth(server.ProcessId is not null && await server.IsHealthyAsync(cancellationToken), null);
                    break;
                case PostgresDatabaseResource database:
                    database.State.SetHealth(database.Parent.State.Health == "Healthy", null);
                    break;
                case RabbitMQServerResource { Server: { } server } rabbit:
                    rabbit.State.SetHealth(await server.IsHealthyAsync(cancellationToken), null);
                    break;
                case RedisResource { Server: { } server } redis:
                    redis.State.SetHealth(await server.IsHealthyAsync(cancellationToken), null);
                    break;
                case SmtpResource { Server: { } server } smtp:
                    smtp.State.SetHealth(await server.IsHealthyAsync(cancellationToken), null);
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            resource.State.SetHealth(false, ex.Message);
        }
    }

    private void PrintSummary(string dashboardUrl)
    {
        var gateway = Resources.OfType<ProjectResource>().FirstOrDefault(p => p.Name == "gateway");
        var lines = new List<string>
        {
            "",
            "==================================================================",
            $"  Gateway:    {gateway?.Url ?? "(none)"}",
            $"  Dashboard:  {dashboardUrl}",
        };
        var demoFile = Path.Combine(_options.DataDirectory, "demo.json");
        if (File.Exists(demoFile))
        {
            lines.Add($"  Demo accounts ({demoFile}):");
            try
            {
                var demo = JsonNode.Parse(File.ReadAllText(demoFile))!.AsObject();
                foreach (var (key, value) in demo)
                {
                    if (value is JsonObject account)
                    {
                        lines.Add($"    {key,-20} " + string.Join("  ", account.Select(kv => $"{kv.Key}={kv.Value}")));
                    }
                    else
                    {
                        lines.Add($"    {key,-20} {value}");
                    }
                }
            }
            catch (JsonException ex)
            {
                lines.Add($"    (unreadable: {ex.Message})");
            }
        }
        else
        {
            lines.Add($"  Demo accounts: {demoFile} not written yet (identity writes it on first start)");
        }
        lines.Add("  Ctrl+C stops everything.");
        lines.Add("==================================================================");
        foreach (var line in lines) _console.Raw(line);
    }

    private async Task StopAllAsync()
    {
        await _shutdown.CancelAsync();
        var projects = Resources.OfType<ProjectResource>().Where(p => p.Process is not null).ToArray();
        await Task.WhenAll(projects.Select(async p =>
        {
            p.State.SetState("Stopping");
            await p.Process!.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(15));
            p.State.SetState("Stopped");
        }));

        var servers = new List<Task>();
        foreach (var resource in Resources)
        {
            Func<Task>? stop = resource switch
            {
                PostgresServerResource { Server: { } s } => s.StopAsync,
                RabbitMQServerResource { Server: { } s } => s.StopAsync,
                RedisResource { Server: { } s } => s.StopAsync,
                SmtpResource { Server: { } s } => s.StopAsync,
                _ => null,
            };
            if (stop is null) continue;
            resource.State.SetState("Stopping");
            servers.Add(Task.Run(async () =>
            {
                try { await stop(); }
                catch (Exception ex) { _console.System($"{resource.Name}: stop failed: {ex.Message}"); }
                resource.State.SetState("Stopped");
                _console.System($"{resource.Name} stopped");
            }));
        }
        await Task.WhenAll(servers);
        if (File.Exists(PidFile)) File.Delete(PidFile);
    }

    internal IEnumerable<ResourceSnapshot> Snapshot() => Resources.Select(r => new ResourceSnapshot(
        r.Name, r.Type, r.State.State, r.State.ProcessIds.FirstOrDefault() is var pid and > 0 ? pid : null,
        r.State.ProcessIds, r.State.Endpoints, r.State.Health, r.State.HealthDetail, r.State.HealthCheckedAt,
        r.State.ExitCode, r is PostgresDatabaseResource db ? db.Parent.Name : null, r.State.Log.Tail(50)));
}

internal sealed record ResourceSnapshot(
    string Name, string Type, string State, int? Pid, IReadOnlyList<int> Pids, IReadOnlyList<string> Endpoints,
    string Health, string? HealthDetail, DateTimeOffset? HealthCheckedAt, int? ExitCode, string? Parent, IReadOnlyList<string> Logs);

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    public static readonly JsonSerializerOptions WebIndented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>Every process's lines, prefixed with its resource name (coloured on a terminal).</summary>
internal sealed class ConsoleOutput(bool color)
{
    private static readonly string[] Colors = ["\e[36m", "\e[32m", "\e[33m", "\e[35m", "\e[34m", "\e[96m", "\e[92m", "\e[93m", "\e[95m", "\e[94m", "\e[91m"];
    private readonly Dictionary<string, string> _assigned = [];
    private readonly Lock _gate = new();
    private int _width = 13;

    public void Line(string resource, string line)
    {
        lock (_gate)
        {
            if (!_assigned.TryGetValue(resource, out var c))
            {
                c = Colors[_assigned.Count % Colors.Length];
                _assigned[resource] = c;
                _width = Math.Max(_width, resource.Length);
            }
            var prefix = resource.PadRight(_width);
            Console.Out.WriteLine(color ? $"{c}{prefix}\e[0m | {line}" : $"{prefix} | {line}");
        }
    }

    public void System(string line) => Line("apphost", line);

    public void Raw(string line)
    {
        lock (_gate) Console.Out.WriteLine(line);
    }
}
