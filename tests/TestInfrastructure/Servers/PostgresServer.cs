using System.Globalization;
using Npgsql;

namespace Gosuslugi.Health.TestInfrastructure.Servers;

public sealed record PostgresServerOptions
{
    /// <summary>Data folder; null = a new temporary folder, removed on dispose.</summary>
    public string? DataDirectory { get; init; }
    /// <summary>0 = a free loopback port chosen now.</summary>
    public int Port { get; init; }
    /// <summary>Superuser (postgres) password; null = trust authentication (tests only).</summary>
    public string? Password { get; init; }
    /// <summary>false only for throw-away data: makes tests faster, loses data on a crash.</summary>
    public bool Durable { get; init; }
    public Action<string>? OnOutput { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A PostgreSQL server run from the machine's packages as a child process, listening on 127.0.0.1
/// only, with its unix socket inside its data folder. Runs as the <c>postgres</c> user when we are root,
/// because PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : ILocalServer
{
    public const string User = "postgres";
    private readonly PostgresServerOptions _options;
    private readonly bool _ownsDirectory;
    private readonly string _root;
    private ManagedProcess? _process;
    private int _databaseCounter;

    private PostgresServer(PostgresServerOptions options)
    {
        _options = options;
        _ownsDirectory = options.DataDirectory is null;
        _root = Path.GetFullPath(options.DataDirectory ?? TempDirectory.Create("gh-pg"));
        Port = options.Port == 0 ? Ports.GetFree() : options.Port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public string? Password => _options.Password;
    public string DataDirectory => Path.Combine(_root, "data");
    public string SocketDirectory => _root;
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;
    public LogBuffer Log { get; } = new();

    /// <summary>Server-level connection string (database <c>postgres</c>).</summary>
    public string ConnectionString => GetConnectionString("postgres");

    public string GetConnectionString(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host, Port = Port, Database = database, Username = User,
        };
        if (Password is not null) builder.Password = Password;
        return builder.ConnectionString;
    }

    public static Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default) =>
        LocalServer.StartNewAsync(() => new PostgresServer(options ?? new PostgresServerOptions()), cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) return;
        var bin = PostgresBinaries.Directory;
        Directory.CreateDirectory(_root);
        if (Native.IsRoot)
        {
            PostgresBinaries.CheckTraversable(_root);
            await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", _root], cancellationToken: cancellationToken);
            await ProcessRunner.RunAsync("chmod", ["700", _root], cancellationToken: cancellationToken);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(bin, cancellationToken);
        }
        else
        {
            // A previous run that was killed leaves postmaster.pid; PostgreSQL checks it by itself,
            // but a stale file whose pid is reused would block the start, so remove it when dead.
            RemoveStalePidFile();
        }

        var args = new List<string>
        {
            "-D", DataDirectory,
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={_root}",
            "-c", "max_connections=300",
            "-c", "shared_buffers=32MB",
            "-c", "logging_collector=off",
        };
        if (!_options.Durable)
        {
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        _process = ManagedProcess.Start("postgres", AsPostgres(Path.Combine(bin, "postgres"), args, out var startArgs), startArgs,
            environment: new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8", ["LANG"] = "C.UTF-8" },
            workingDirectory: _root, log: Log, onLine: _options.OnOutput);
        Watchdog.Guard(Native.SIGQUIT, _ownsDirectory ? _root : null, _process.Id);

        await WaitReadyAsync(cancellationToken);
    }

    private async Task InitDbAsync(string bin, CancellationToken cancellationToken)
    {
        var args = new List<string> { "-D", DataDirectory, "-U", User, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--auth-local=trust" };
        string? passwordFile = null;
        if (Password is not null)
        {
            passwordFile = Path.Combine(_root, "pwfile");
            await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
            if (Native.IsRoot) await ProcessRunner.RunAsync("chown", ["postgres:postgres", passwordFile], cancellationToken: cancellationToken);
            args.AddRange(["--auth-host=scram-sha-256", $"--pwfile={passwordFile}"]);
        }
        else
        {
            args.Add("--auth-host=trust");
        }
        try
        {
            var fileName = AsPostgres(Path.Combine(bin, "initdb"), args, out var initArgs);
            var result = await ProcessRunner.RunAsync(fileName, initArgs, Log, cancellationToken);
            if (result != 0) throw new ServerStartException($"PostgreSQL initdb failed (exit {result}) in {DataDirectory}", Log.TailText());
        }
        finally
        {
            if (passwordFile is not null) File.Delete(passwordFile);
        }
    }

    private void RemoveStalePidFile()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return;
        var first = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(first, out var pid) && Native.IsAlive(pid))
        {
            throw new ServerStartException($"PostgreSQL in {DataDirectory} is already running as pid {pid}; stop it first.", "");
        }
        File.Delete(pidFile);
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process!.HasExited)
            {
                throw new ServerStartException($"PostgreSQL exited with code {await _process.Exited} while starting on port {Port}", Log.TailText());
            }
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=3");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                last = ex;
                await Task.Delay(150, cancellationToken);
            }
        }
        throw new ServerStartException($"PostgreSQL did not accept connections on port {Port} within {_options.StartTimeout.TotalSeconds:0} s: {last?.Message}", Log.TailText());
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Creates a new empty database with a unique name; returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = $"{prefix ?? "test"}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return GetConnectionString(name);
    }

    /// <summary>Creates the database unless it exists; returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return GetConnectionString(name);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Fast shutdown (SIGINT): active transactions are rolled back, data is kept.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(Native.SIGINT, TimeSpan.FromSeconds(20));
        _process.Dispose();
        _process = null;
    }

    /// <summary>Immediate stop for process exit: no waiting for clients.</summary>
    internal void StopNow()
    {
        if (_process is null) return;
        _process.Signal(Native.SIGQUIT);
        if (!_process.Exited.Wait(TimeSpan.FromSeconds(3))) _process.Kill();
        _process = null;
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDirectory && _process is not null)
        {
            // Throw-away data: no need for an orderly shutdown.
            await _process.StopAsync(Native.SIGQUIT, TimeSpan.FromSeconds(5));
            _process = null;
        }
        await StopAsync();
        if (_ownsDirectory) TempDirectory.TryDelete(_root);
    }

    private static string AsPostgres(string fileName, List<string> args, out List<string> finalArgs)
    {
        if (!Native.IsRoot)
        {
            finalArgs = args;
            return fileName;
        }
        // setpriv execs in place (unlike runuser, which forks), so the pid we hold is the server's.
        finalArgs = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", fileName, .. args];
        return "setpriv";
    }
}

internal static class PostgresBinaries
{
    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("POSTGRES_BIN");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            var candidates = System.IO.Directory.Exists("/usr/lib/postgresql")
                ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "postgres")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .ToArray()
                : [];
            return candidates.FirstOrDefault()
                ?? throw new ServerStartException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql, or set POSTGRES_BIN).", "");
        }
    }

    /// <summary>The postgres user must reach its folder: every parent needs the execute bit for others.</summary>
    public static void CheckTraversable(string path)
    {
        for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (OperatingSystem.IsWindows()) return;
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                throw new ServerStartException($"The postgres user cannot reach {path}: {dir} is not traversable (chmod o+x {dir}).", "");
            }
        }
    }
}
