using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gosuslugi.Health.AppHost;

/// <summary>A server run from the machine's Debian packages as an executable (there is no container engine here).</summary>
public class LocalServerResource(string name, string command, string workingDirectory, string connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connectionString}");
}

/// <summary>A PostgreSQL server that owns databases, each created (when missing) as soon as the server is healthy.</summary>
public sealed class PostgresServerResource(string name, string command, string workingDirectory, int port, string password)
    : LocalServerResource(name, command, workingDirectory, ConnectionString(port, password, "postgres"))
{
    public int Port { get; } = port;
    public string Password { get; } = password;
    public List<PostgresDatabaseResource> Databases { get; } = [];

    public static string ConnectionString(int port, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = port, Database = database, Username = "postgres", Password = password,
    }.ConnectionString;
}

/// <summary>One service's database: a resource with its own connection string (ConnectionStrings__&lt;name&gt;).</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource parent)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString, IResourceWithWaitSupport
{
    public PostgresServerResource Parent { get; } = parent;
    public string ConnectionString => PostgresServerResource.ConnectionString(Parent.Port, Parent.Password, Name);
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}

public static class LocalServerExtensions
{
    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// PostgreSQL 15: a one-shot init resource (owner, initdb on an empty folder) and the server, run as the
    /// postgres user through setpriv (which execs, so the stop signal reaches postgres itself).
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port, string password)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderByDescending(d => d).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin): apt-get install postgresql.");
        var data = Path.Combine(dataDirectory, "data");
        Directory.CreateDirectory(dataDirectory);
        var asPostgres = IsRoot ? "runuser -u postgres --" : "";
        var passwordFile = Path.Combine(dataDirectory, "pwfile");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            File.WriteAllText(passwordFile, password + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        // A killed run leaves postmaster.pid behind; PostgreSQL refuses to start while its pid is alive (reused).
        var script = string.Join('\n',
            "set -e",
            IsRoot ? $"chown -R postgres:postgres '{dataDirectory}'" : "",
            $"chmod 700 '{dataDirectory}'",
            $"if [ ! -f '{data}/PG_VERSION' ]; then {asPostgres} '{bin}/initdb' -D '{data}' -U postgres -E UTF8 --locale=C.UTF-8 --no-sync --auth-local=trust --auth-host=scram-sha-256 --pwfile='{passwordFile}'; fi",
            $"rm -f '{passwordFile}'",
            $"if [ -f '{data}/postmaster.pid' ] && ! kill -0 \"$(head -1 '{data}/postmaster.pid')\" 2>/dev/null; then rm -f '{data}/postmaster.pid'; fi");
        var init = builder.AddExecutable($"{name}-init", "/bin/sh", dataDirectory, "-c", script);

        string[] serverArgs =
        [
            Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={dataDirectory}",
            "-c", "max_connections=300", "-c", "shared_buffers=32MB", "-c", "logging_collector=off",
        ];
        var server = new PostgresServerResource(name, IsRoot ? "/usr/bin/setpriv" : serverArgs[0], dataDirectory, port, password);
        var args = IsRoot ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. serverArgs] : serverArgs[1..];

        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-accepts", async ct =>
            await Probes.PostgresAsync(server.AdminConnectionString(), ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var resource = builder.AddResource(server)
            .WithArgs(args)
            .WithEnvironment("LC_ALL", "C.UTF-8").WithEnvironment("LANG", "C.UTF-8")
            .WithEndpoint("tcp", e => { e.Port = port; e.TargetPort = port; e.UriScheme = "tcp"; e.IsProxied = false; e.TargetHost = "127.0.0.1"; })
            .WithHealthCheck($"{name}-accepts")
            .WaitForCompletion(init);
        init.WithParentRelationship(resource);

        // Each database is created when missing, as soon as the server is healthy.
        // (Aspire passes a parent's state on to its children for containers only, so the databases get theirs here.)
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, ct) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            await using var connection = new NpgsqlConnection(server.AdminConnectionString() + ";Pooling=false");
            await connection.OpenAsync(ct);
            foreach (var database in server.Databases)
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", database.Name);
                if (await exists.ExecuteScalarAsync(ct) is not null) continue;
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            foreach (var database in server.Databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
            }
        });
        return resource;
    }

    private static string AdminConnectionString(this PostgresServerResource server) => PostgresServerResource.ConnectionString(server.Port, server.Password, "postgres");

    /// <summary>A database of the server (its name is the resource's name), healthy once it exists and answers.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, server.Resource);
        server.Resource.Databases.Add(database);
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck($"{name}-exists", async ct =>
            await Probes.PostgresAsync(database.ConnectionString, ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.Waiting, Properties = [] })
            .WithHealthCheck($"{name}-exists");
    }

    /// <summary>
    /// RabbitMQ 3.10 with its own epmd (a resource of its own, so no stray epmd survives the AppHost), its data, logs
    /// (to the console, i.e. the dashboard) and the management plugin on loopback ports.
    /// </summary>
    public static IResourceBuilder<LocalServerResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name, string dataDirectory,
        int port, int managementPort, int epmdPort, int distributionPort, string user, string password)
    {
        const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        if (!File.Exists(ServerScript)) throw new InvalidOperationException($"{ServerScript} not found: apt-get install rabbitmq-server.");
        Directory.CreateDirectory(Path.Combine(dataDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dataDirectory, "log"));
        var configFile = Path.Combine(dataDirectory, "rabbitmq.conf");
        // The default user is made on the first start of an empty mnesia; the file keeps the password out of `ps`.
        File.WriteAllText(configFile, string.Join('\n',
            $"listeners.tcp.default = 127.0.0.1:{port}", "management.tcp.ip = 127.0.0.1", $"management.tcp.port = {managementPort}",
            $"default_user = {user}", $"default_pass = {password}", "log.console = true", "log.console.level = info",
            "log.console.use_colors = off", "log.file = false",
            // Development machines are small and shared; never block publishers over disk or memory alarms.
            "disk_free_limit.absolute = 50MB", "vm_memory_high_watermark.relative = 0.8", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var pluginsFile = Path.Combine(dataDirectory, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[rabbitmq_management].\n");
        var epmdPortText = epmdPort.ToString(CultureInfo.InvariantCulture);

        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-epmd-listens", async ct =>
            await Probes.EpmdAsync(epmdPort, ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var epmd = builder.AddExecutable($"{name}-epmd", "epmd", dataDirectory, "-port", epmdPortText, "-address", "127.0.0.1")
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1").WithEnvironment("ERL_EPMD_PORT", epmdPortText)
            .WithHealthCheck($"{name}-epmd-listens");

        var connectionString = $"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{port}/";
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-answers", async ct =>
            await Probes.RabbitMqAsync(managementPort, user, password, ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var rabbit = builder.AddResource(new LocalServerResource(name, ServerScript, dataDirectory, connectionString))
            .WithEnvironment("HOME", dataDirectory)
            .WithEnvironment("RABBITMQ_NODENAME", "rabbit@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_PORT", epmdPortText)
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(dataDirectory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(dataDirectory, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_CONFIG_FILE", configFile)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(dataDirectory, "rabbit.pid"))
            .WithEnvironment("ERL_CRASH_DUMP", Path.Combine(dataDirectory, "log", "erl_crash.dump"))
            // Our own epmd (above), and Erlang distribution on loopback only.
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}")
            // Makes the script exec the Erlang VM, so the stop signal reaches the node itself.
            .WithEnvironment("RUNNING_UNDER_SYSTEMD", "true")
            .WithEndpoint("amqp", e => { e.Port = port; e.TargetPort = port; e.UriScheme = "amqp"; e.IsProxied = false; e.TargetHost = "127.0.0.1"; })
            .WithHttpEndpoint(port: managementPort, targetPort: managementPort, name: "management", isProxied: false)
            .WithHealthCheck($"{name}-answers")
            .WaitFor(epmd);
        epmd.WithParentRelationship(rabbit);
        return rabbit;
    }

    /// <summary>
    /// SoftHSM2's configuration for this data folder: its token files under <paramref name="dataDirectory"/>/tokens. Not
    /// a process: a PKCS#11 library that identity loads; identity initialises the token on its first start.
    /// </summary>
    public static string PrepareSoftHsm(string dataDirectory)
    {
        const string Library = "/usr/lib/softhsm/libsofthsm2.so";
        if (!File.Exists(Library)) throw new InvalidOperationException($"{Library} not found: apt-get install softhsm2.");
        var tokens = Directory.CreateDirectory(Path.Combine(dataDirectory, "tokens")).FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var configFile = Path.Combine(dataDirectory, "softhsm2.conf");
        File.WriteAllText(configFile, string.Join('\n', $"directories.tokendir = {tokens}", "objectstore.backend = file", "log.level = ERROR",
            "slots.removable = false", ""));
        return configFile;
    }

    /// <summary>Redis with an append-only file; options through a config file so the password never shows in `ps`.</summary>
    public static IResourceBuilder<LocalServerResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port, string password)
    {
        Directory.CreateDirectory(dataDirectory);
        var configFile = Path.Combine(dataDirectory, "redis.conf");
        File.WriteAllText(configFile, string.Join('\n', $"port {port}", "bind 127.0.0.1", "protected-mode yes", $"dir {dataDirectory}",
            "daemonize no", "logfile \"\"", "appendonly yes", "save 60 1", $"requirepass {password}", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-ping", async ct =>
            await Probes.RedisAsync(port, password, ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        return builder.AddResource(new LocalServerResource(name, "/usr/bin/redis-server", dataDirectory, $"127.0.0.1:{port},password={password}"))
            .WithArgs(configFile)
            .WithEndpoint("tcp", e => { e.Port = port; e.TargetPort = port; e.UriScheme = "tcp"; e.IsProxied = false; e.TargetHost = "127.0.0.1"; })
            .WithHealthCheck($"{name}-ping");
    }

    /// <summary>
    /// The development SMTP server: aiosmtpd (Debian's python3-aiosmtpd) keeps every message in a Maildir instead of
    /// relaying it. Debian's interpreter: a python3 earlier on PATH (pyenv, a venv) does not see python3-aiosmtpd.
    /// </summary>
    public static IResourceBuilder<LocalServerResource> AddDevelopmentSmtp(this IDistributedApplicationBuilder builder, string name, string mailDirectory, int port)
    {
        // Python's mailbox.Maildir makes cur/new/tmp only for a folder that does not exist yet.
        foreach (var folder in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(mailDirectory, folder));
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-greets", async ct =>
            await Probes.SmtpAsync(port, ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        // -n: do not switch to the user nobody; -u: accept UTF-8 addresses (RFC 6531).
        return builder.AddResource(new LocalServerResource(name, python, mailDirectory, $"smtp://127.0.0.1:{port}"))
            .WithArgs("-m", "aiosmtpd", "-n", "-u", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", mailDirectory)
            .WithEndpoint("smtp", e => { e.Port = port; e.TargetPort = port; e.UriScheme = "smtp"; e.IsProxied = false; e.TargetHost = "127.0.0.1"; })
            .WithHealthCheck($"{name}-greets");
    }
}

/// <summary>Readiness probes of the local servers (what each protocol answers when the server is ready).</summary>
internal static class Probes
{
    public static async Task<bool> PostgresAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
        {
            return false;
        }
    }

    /// <summary>epmd answers NAMES_REQ (length 1, byte 110) with its port number (4 bytes) and the nodes it knows.</summary>
    public static async Task<bool> EpmdAsync(int port, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 0, 1, 110 }, timeout.Token);
            var answer = new byte[4];
            await stream.ReadExactlyAsync(answer, timeout.Token);
            return (answer[0] << 24 | answer[1] << 16 | answer[2] << 8 | answer[3]) == port;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The management API: probing the AMQP port would fill the broker's log with aborted connections.</summary>
    public static async Task<bool> RabbitMqAsync(int managementPort, string user, string password, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{managementPort}/api/health/checks/alarms"), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public static Task<bool> RedisAsync(int port, string password, CancellationToken ct) =>
        LineProtocolAsync(port, $"AUTH \"{password}\"\r\nPING\r\n", reply => reply.Contains("+PONG", StringComparison.Ordinal), ct);

    public static Task<bool> SmtpAsync(int port, CancellationToken ct) =>
        LineProtocolAsync(port, null, reply => reply.StartsWith("220", StringComparison.Ordinal), ct);

    private static async Task<bool> LineProtocolAsync(int port, string? send, Func<string, bool> ready, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            if (send is not null) await stream.WriteAsync(Encoding.UTF8.GetBytes(send), timeout.Token);
            var buffer = new byte[256];
            var text = new StringBuilder();
            while (text.ToString().Count(c => c == '\n') < (send is null ? 1 : 2))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            return ready(text.ToString());
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
